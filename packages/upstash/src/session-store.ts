import type { SessionRecord, SessionStore } from "@mcp-edge/core";
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_PREFIX,
  fromJson,
  guarded,
  ms,
  type UpstashClient,
  type UpstashStoreOptions,
} from "./client.js";

/**
 * Sessions as one JSON string per key (`<prefix>session:<id>`), expiring after the idle timeout the
 * core passes in. Loading a session slides its expiry in the same command (`GETEX ... PX`), so the
 * hot path costs one HTTP round trip.
 */
export class UpstashSessionStore implements SessionStore {
  readonly #redis: UpstashClient;
  readonly #prefix: string;
  readonly #timeoutMs: number;

  constructor(options: UpstashStoreOptions) {
    this.#redis = options.client;
    this.#prefix = `${options.prefix ?? DEFAULT_PREFIX}session:`;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /** `GETEX key PX ttl`: one round trip. */
  async get(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const raw = await guarded(() => this.#redis.getex<unknown>(this.#prefix + id, { px: ms(ttlMs) }), this.#timeoutMs);
    if (raw === null || raw === undefined) return undefined;
    const record = toRecord(fromJson(raw));
    // The expiry slid without rewriting the record; report this access as the in-memory store does.
    if (record) record.lastAccessAt = Math.max(record.lastAccessAt, Date.now());
    return record;
  }

  /** `SET key json PX ttl`: one round trip. */
  async set(record: SessionRecord, ttlMs: number): Promise<void> {
    const json = JSON.stringify(record);
    await guarded(() => this.#redis.set(this.#prefix + record.id, json, { px: ms(ttlMs) }), this.#timeoutMs);
  }

  /** `PEXPIRE key ttl`: one round trip. */
  async touch(id: string, ttlMs: number): Promise<boolean> {
    const changed = await guarded(() => this.#redis.pexpire(this.#prefix + id, ms(ttlMs)), this.#timeoutMs);
    return Number(changed) === 1;
  }

  /** `DEL key`: one round trip. */
  async delete(id: string): Promise<void> {
    await guarded(() => this.#redis.del(this.#prefix + id), this.#timeoutMs);
  }
}

/**
 * The record as stored, format version included: the core compares `v` with the version it
 * understands. A value that is not a record at all (written by something else under our prefix)
 * reads as no session rather than failing every request for it.
 */
function toRecord(value: unknown): SessionRecord | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
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
