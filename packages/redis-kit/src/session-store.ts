import type { SessionRecord, SessionStore } from "@mcp-edge/core/storage";
import { keyLayout } from "./layout.js";
import { toSessionRecord } from "./session-record.js";

/**
 * The four key operations a session store needs. Every method rejects with `StoreUnavailableError`
 * when the backend cannot be reached, and costs one round trip.
 */
export interface SessionKeys {
  /** `GETEX key PX ttl`: the value with its TTL slid (as text, or already parsed by the client), or null. */
  getEx(key: string, ttlMs: number): Promise<unknown>;
  /** `SET key value PX ttl`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** `PEXPIRE key ttl`: false when the key does not exist. */
  pExpire(key: string, ttlMs: number): Promise<boolean>;
  /** `DEL key`. */
  del(key: string): Promise<void>;
}

/**
 * Sessions as one JSON string per key (`<prefix>session:<id>`), expiring after the idle timeout the
 * core passes in. Every access slides the expiry in the same command that reads the record, so a
 * request costs one round trip to load its session.
 */
export class KeySessionStore implements SessionStore {
  readonly #keys: SessionKeys;
  readonly #prefix: string;

  constructor(keys: SessionKeys, prefix?: string) {
    this.#keys = keys;
    this.#prefix = keyLayout(prefix).session;
  }

  /** `GETEX key PX ttl`: one round trip. */
  async get(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const stored = await this.#keys.getEx(this.#prefix + id, ttlMs);
    if (stored === null || stored === undefined) return undefined;
    const record = toSessionRecord(stored);
    // The expiry slid without rewriting the record; report this access as the in-memory store does.
    if (record) record.lastAccessAt = Math.max(record.lastAccessAt, Date.now());
    return record;
  }

  /** `SET key json PX ttl`: one round trip. */
  async set(record: SessionRecord, ttlMs: number): Promise<void> {
    await this.#keys.set(this.#prefix + record.id, JSON.stringify(record), ttlMs);
  }

  /** `PEXPIRE key ttl`: one round trip. */
  async touch(id: string, ttlMs: number): Promise<boolean> {
    return this.#keys.pExpire(this.#prefix + id, ttlMs);
  }

  /** `DEL key`: one round trip. */
  async delete(id: string): Promise<void> {
    await this.#keys.del(this.#prefix + id);
  }
}
