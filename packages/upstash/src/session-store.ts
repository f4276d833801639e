import { KeySessionStore, type SessionKeys } from "@mcp-edge/redis-kit";
import { DEFAULT_COMMAND_TIMEOUT_MS, guarded, ms, type UpstashClient, type UpstashStoreOptions } from "./client.js";

/**
 * Sessions as one JSON string per key (`<prefix>session:<id>`), expiring after the idle timeout the
 * core passes in. Loading a session slides its expiry in the same command (`GETEX ... PX`), so the
 * hot path costs one HTTP round trip.
 */
export class UpstashSessionStore extends KeySessionStore {
  constructor(options: UpstashStoreOptions) {
    super(sessionKeys(options.client, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS), options.prefix);
  }
}

/** The session store's four commands as `@upstash/redis` sends them, each one HTTP round trip. */
function sessionKeys(client: UpstashClient, timeoutMs: number): SessionKeys {
  return {
    getEx: (key, ttlMs) => guarded(() => client.getex<unknown>(key, { px: ms(ttlMs) }), timeoutMs),
    async set(key, value, ttlMs) {
      await guarded(() => client.set(key, value, { px: ms(ttlMs) }), timeoutMs);
    },
    async pExpire(key, ttlMs) {
      return Number(await guarded(() => client.pexpire(key, ms(ttlMs)), timeoutMs)) === 1;
    },
    async del(key) {
      await guarded(() => client.del(key), timeoutMs);
    },
  };
}
