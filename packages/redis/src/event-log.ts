import type { JsonRpcMessage } from "@mcp-edge/core/storage";
import type { EventLog } from "@mcp-edge/redis-kit";
import { Commands } from "./commands.js";
import type { RedisConnection } from "./connection.js";
import { optionalText, text } from "./replies.js";

/** The event store's operations as Redis commands over a connection, each one round trip. */
export function redisEventLog(redis: RedisConnection): EventLog {
  return {
    append: (key, value, maxLen, ttlMs) => redis.appendCapped(key, value, maxLen, ttlMs),
    async appendAll(keys, value, maxLen, ttlMs) {
      const commands: string[][] = [];
      for (const key of keys) commands.push(Commands.xAdd(key, value, maxLen), Commands.pExpire(key, ttlMs));
      const replies = await redis.batch("multi", commands);
      return keys.map((_, n) => text(replies[2 * n]));
    },
    async rangeAfter(key, after) {
      const entries = await redis.rangeAfter(key, after);
      return entries?.map((entry) => ({ id: entry.id, message: JSON.parse(entry.value) as JsonRpcMessage }));
    },
    async register(set, member, key, value, now, ttlMs) {
      await redis.batch("multi", [
        Commands.zRemExpired(set, now),
        Commands.zAdd(set, now + ttlMs, member),
        Commands.set(key, value, ttlMs),
      ]);
    },
    async replace(key, value) {
      await redis.batch("pipeline", [Commands.replace(key, value)]);
    },
    async unregister(set, member, key) {
      await redis.batch("multi", [Commands.zRem(set, member), Commands.del(key)]);
    },
    async members(set, now) {
      const [, members] = await redis.batch("pipeline", [Commands.zRemExpired(set, now), Commands.zAll(set)]);
      return Array.isArray(members) ? members.map(text) : [];
    },
    async getAll(keys) {
      const [values] = await redis.batch("pipeline", [Commands.mGet([...keys])]);
      return Array.isArray(values) ? values.map(optionalText) : [];
    },
  };
}
