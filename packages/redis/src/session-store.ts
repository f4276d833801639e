import { KeySessionStore } from "@mcp-edge/redis-kit";
import type { RedisStoreOptions } from "./options.js";
import { toRedisConnection } from "./to-connection.js";

/**
 * Sessions as one JSON string per key (`<prefix>session:<id>`), expiring after the idle timeout the
 * core passes in. Loading a session slides its expiry in the same command (`GETEX ... PX`): one
 * round trip.
 */
export class RedisSessionStore extends KeySessionStore {
  constructor(options: RedisStoreOptions) {
    super(toRedisConnection(options.client, options), options.prefix);
  }
}
