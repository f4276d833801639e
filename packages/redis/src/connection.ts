import type { RedisClient } from "./clients.js";

/** One entry of a Redis stream as the event store reads it back. */
export interface StreamEntry {
  id: string;
  value: string;
}

/**
 * The handful of Redis operations the three stores need. Each store is written once against this
 * interface; `fromNodeRedis` and `fromIoRedis` implement it over the two clients, and any other
 * client can be plugged in by implementing it. Every method rejects with `StoreUnavailableError`
 * when Redis cannot be reached, and costs the round trips written beside it.
 */
export interface RedisConnection {
  /** `GETEX key PX ttl`: the value with its TTL slid, or null. One round trip. */
  getEx(key: string, ttlMs: number): Promise<string | null>;
  /** `SET key value PX ttl`. One round trip. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** `PEXPIRE key ttl`: false when the key does not exist. One round trip. */
  pExpire(key: string, ttlMs: number): Promise<boolean>;
  /** `DEL key`. One round trip. */
  del(key: string): Promise<void>;
  /** `PUBLISH channel message`. One round trip. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * `MULTI; XADD key MAXLEN maxLen * data value; PEXPIRE key ttl; EXEC`: appends to a capped
   * stream and slides its TTL atomically, so no stream is ever left without an expiry. Returns the
   * entry id. One round trip.
   */
  appendCapped(key: string, value: string, maxLen: number, ttlMs: number): Promise<string>;
  /**
   * `XRANGE key (after +` pipelined with `EXISTS key`: the entries after `after`, or undefined when
   * the stream does not exist (never written, or expired). One round trip.
   */
  rangeAfter(key: string, after: string): Promise<StreamEntry[] | undefined>;
  /**
   * Sends `commands` in one round trip, as a MULTI/EXEC transaction or as a plain pipeline, and
   * returns their replies in order (a failed command rejects the whole batch).
   */
  batch(kind: "multi" | "pipeline", commands: string[][]): Promise<unknown[]>;
  /** `SUBSCRIBE channel`; resolves once Redis confirmed it. Only on a connection dedicated to pub/sub. */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** `UNSUBSCRIBE channel` for the listener given to `subscribe`. */
  unsubscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** Called whenever the connection is (re)established, so callers can repair state after an outage. */
  onReady(listener: () => void): void;
}

export interface ConnectionOptions {
  /**
   * Upper bound on how long one operation may wait for Redis before it fails with
   * `StoreUnavailableError` (default 5000 ms; 0 disables). A safety net for clients that queue
   * commands while disconnected; configure the client not to (see the README) so failures are
   * immediate instead.
   */
  commandTimeoutMs?: number;
  /**
   * Receives the client's connection errors. Without it, and without an 'error' listener of the
   * application's own, errors are logged once per outage. Either way they never crash the process.
   */
  onError?: (error: unknown) => void;
}

/** Whatever the stores accept: a node-redis or ioredis client (detected), or a ready-made connection. */
export type RedisClientInput = RedisClient | RedisConnection;
