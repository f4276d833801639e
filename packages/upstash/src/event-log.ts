import type { EventLog } from "@mcp-edge/redis-kit";
import { guarded, ms, type UpstashClient } from "./client.js";
import { entries, FIELD } from "./stream-entries.js";

/**
 * The event store's operations as `@upstash/redis` sends them: transactions through `/multi-exec`,
 * pipelines through `/pipeline`, each one HTTP round trip under the command timeout.
 */
export function upstashEventLog(redis: UpstashClient, timeoutMs: number): EventLog {
  const trim = (maxLen: number) => ({ trim: { type: "MAXLEN", comparison: "=", threshold: maxLen } }) as const;
  const entryId = (reply: unknown): string => {
    if (typeof reply !== "string") throw new TypeError("unexpected XADD reply from upstash");
    return reply;
  };
  return {
    async append(key, value, maxLen, ttlMs) {
      const [id] = await guarded(
        () =>
          redis
            .multi()
            .xadd(key, "*", { [FIELD]: value }, trim(maxLen))
            .pexpire(key, ms(ttlMs))
            .exec(),
        timeoutMs,
      );
      return entryId(id);
    },
    async appendAll(keys, value, maxLen, ttlMs) {
      const transaction = redis.multi();
      for (const key of keys) transaction.xadd(key, "*", { [FIELD]: value }, trim(maxLen)).pexpire(key, ms(ttlMs));
      const replies = await guarded(() => transaction.exec(), timeoutMs);
      return keys.map((_, n) => entryId(replies[2 * n]));
    },
    async rangeAfter(key, after) {
      const [range, exists] = await guarded(
        () => redis.pipeline().xrange(key, `(${after}`, "+").exists(key).exec(),
        timeoutMs,
      );
      return Number(exists) === 1 ? entries(range) : undefined;
    },
    async register(set, member, key, value, now, ttlMs) {
      const ttl = ms(ttlMs);
      await guarded(
        () =>
          redis
            .multi()
            .zremrangebyscore(set, "-inf", now)
            .zadd(set, { score: now + ttl, member })
            .set(key, value, { px: ttl })
            .exec(),
        timeoutMs,
      );
    },
    async replace(key, value) {
      await guarded(() => redis.pipeline().set(key, value, { xx: true, keepTtl: true }).exec(), timeoutMs);
    },
    async unregister(set, member, key) {
      await guarded(() => redis.multi().zrem(set, member).del(key).exec(), timeoutMs);
    },
    async members(set, now) {
      const [, members] = await guarded(
        () => redis.pipeline().zremrangebyscore(set, "-inf", now).zrange<unknown[]>(set, 0, -1).exec(),
        timeoutMs,
      );
      return Array.isArray(members) ? members.map(String) : [];
    },
    async getAll(keys) {
      const [values] = await guarded(
        () =>
          redis
            .pipeline()
            .mget<unknown[]>(...keys)
            .exec(),
        timeoutMs,
      );
      return Array.isArray(values) ? values : [];
    },
  };
}
