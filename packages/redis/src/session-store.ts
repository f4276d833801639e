import type { SessionRecord, SessionStore } from "@mcp-edge/core";
import { type RedisConnection, toRedisConnection } from "./connection.js";
import { DEFAULT_PREFIX, type RedisStoreOptions } from "./options.js";

/**
 * Sessions as one JSON string per key (`<prefix>session:<id>`), expiring after the idle timeout the
 * core passes in. Every access slides the expiry in the same command that reads the record, so a
 * request costs one round trip to load its session.
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisStoreOptions) {
    this.#redis = toRedisConnection(options.client, options);
    this.#prefix = `${options.prefix ?? DEFAULT_PREFIX}session:`;
  }

  /** `GETEX key PX ttl`: one round trip. */
  async get(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const raw = await this.#redis.getEx(this.#prefix + id, ttlMs);
    if (raw === null) return undefined;
    const record = parseRecord(raw);
    // Redis slid the expiry without rewriting the record; report this access as the in-memory store does.
    if (record) record.lastAccessAt = Math.max(record.lastAccessAt, Date.now());
    return record;
  }

  /** `SET key json PX ttl`: one round trip. */
  async set(record: SessionRecord, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#prefix + record.id, JSON.stringify(record), ttlMs);
  }

  /** `PEXPIRE key ttl`: one round trip. */
  async touch(id: string, ttlMs: number): Promise<boolean> {
    return this.#redis.pExpire(this.#prefix + id, ttlMs);
  }

  /** `DEL key`: one round trip. */
  async delete(id: string): Promise<void> {
    await this.#redis.del(this.#prefix + id);
  }
}

/**
 * The record as stored, format version included: the core compares `v` with the version it
 * understands. Anything that is not a record at all (written by something else under our prefix)
 * reads as no session rather than failing every request for it.
 */
function parseRecord(raw: string): SessionRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const candidate = value as Partial<SessionRecord>;
  if (
    typeof candidate.v !== "number" ||
    typeof candidate.id !== "string" ||
    typeof candidate.lastAccessAt !== "number"
  ) {
    return undefined;
  }
  return value as SessionRecord;
}
