import type { JsonRpcMessage } from "@mcp-edge/core/storage";
import type { EventLog } from "@mcp-edge/redis-kit";
import { Commands } from "./commands.js";
import type { RedisConnection } from "./connection.js";
import { optionalText, text } from "./replies.js";

/** Streams per transaction when one event is appended to many (a broadcast). */
const STREAMS_PER_TRANSACTION = 500;

/** The event store's operations as Redis commands over a connection, each one round trip. */
export function redisEventLog(redis: RedisConnection): EventLog {
  return {
    append: (key, value, maxLen, ttlMs) => redis.appendCapped(key, value, maxLen, ttlMs),
    async appendAll(keys, value, maxLen, ttlMs) {
      // Several transactions, sent together (one round trip), rather than one: Redis runs nothing else
      // while it runs a transaction, and one of ten thousand appends (each creating its stream, on a
      // first broadcast) would stall every other client for its whole length. Each one also runs as
      // soon as it arrives, while the client still encodes the next. Each stream's append and expiry
      // stay in one transaction, so no stream is ever left without an expiry.
      const batches: Promise<unknown[]>[] = [];
      for (let from = 0; from < keys.length; from += STREAMS_PER_TRANSACTION) {
        const commands: string[][] = [];
        const to = Math.min(keys.length, from + STREAMS_PER_TRANSACTION);
        for (let n = from; n < to; n++) {
          const key = keys[n] as string;
          commands.push(Commands.xAdd(key, value, maxLen), Commands.pExpire(key, ttlMs));
        }
        batches.push(redis.batch("multi", commands));
      }
      const ids: string[] = [];
      for (const replies of await Promise.all(batches)) {
        for (let n = 0; n < replies.length; n += 2) ids.push(text(replies[n]));
      }
      return ids;
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
