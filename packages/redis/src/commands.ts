/** The field of a stream entry that holds the event store's value. */
export const STREAM_FIELD = "data";

const ms = (value: number) => String(Math.max(1, Math.ceil(value)));

/** Builds the commands once, so both clients send byte-for-byte the same thing. */
export const Commands = {
  getEx: (key: string, ttlMs: number) => ["GETEX", key, "PX", ms(ttlMs)],
  set: (key: string, value: string, ttlMs: number) => ["SET", key, value, "PX", ms(ttlMs)],
  pExpire: (key: string, ttlMs: number) => ["PEXPIRE", key, ms(ttlMs)],
  del: (key: string) => ["DEL", key],
  publish: (channel: string, message: string) => ["PUBLISH", channel, message],
  // Exact trimming (`=`), not `~`: the bound is a promise to users, and with one entry evicted per
  // append the exact form costs O(1) as well.
  xAdd: (key: string, value: string, maxLen: number) => [
    "XADD",
    key,
    "MAXLEN",
    "=",
    String(maxLen),
    "*",
    STREAM_FIELD,
    value,
  ],
  xRangeAfter: (key: string, after: string) => ["XRANGE", key, `(${after}`, "+"],
  exists: (key: string) => ["EXISTS", key],
  zAdd: (key: string, score: number, member: string) => ["ZADD", key, String(score), member],
  zRem: (key: string, member: string) => ["ZREM", key, member],
  zRemExpired: (key: string, now: number) => ["ZREMRANGEBYSCORE", key, "-inf", String(now)],
  zAll: (key: string) => ["ZRANGE", key, "0", "-1"],
  mGet: (keys: string[]) => ["MGET", ...keys],
  /** Replaces the value of a key that exists, keeping its expiry; does nothing otherwise. */
  replace: (key: string, value: string) => ["SET", key, value, "XX", "KEEPTTL"],
} as const;
