import { createClient, RESP_TYPES } from "redis";

/** Bulk strings as raw bytes, so base64 replies carry exactly what Redis holds. */
export const AS_BYTES = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } as const;

/** A node-redis connection as the bridge uses them; `reconnect` only for the long-lived shared one. */
export function makeClient(url: string, reconnect: boolean) {
  return createClient({
    url,
    // RESP2: flat arrays for HGETALL and friends, as the Upstash protocol has them.
    RESP: 2,
    // A command issued while Redis is unreachable fails at once (the request gets 503) instead of waiting.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: reconnect ? (retries: number) => Math.min(50 * 2 ** retries, 2_000) : false },
  });
}

export type RedisLink = ReturnType<typeof makeClient>;
