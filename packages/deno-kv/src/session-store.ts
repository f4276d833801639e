import type { SessionRecord, SessionStore } from "@mcp-edge/core/storage";
import { toSessionRecord } from "@mcp-edge/redis-kit";
import type { DenoKv, KvEntryMaybe, KvKey } from "./kv.js";
import { DEFAULT_KV_PREFIX, type DenoKvStoreOptions } from "./options.js";
import { DEFAULT_COMMAND_TIMEOUT_MS, expireIn, guarded } from "./store-error.js";

/** A session as stored: the record's JSON and when it expires. */
interface StoredSession {
  record: string;
  expiresAt: number;
}

function stored(entry: KvEntryMaybe, now: number): StoredSession | undefined {
  const value = entry.value as Partial<StoredSession> | null;
  if (typeof value !== "object" || value === null) return undefined;
  if (typeof value.record !== "string" || typeof value.expiresAt !== "number") return undefined;
  // `expireIn` is a hint: KV may keep an expired key for a while, so the stamp decides.
  return value.expiresAt > now ? (value as StoredSession) : undefined;
}

/**
 * Sessions as one KV entry each (`[...prefix, "session", id]`): the record's JSON and its expiry
 * stamp, written with `expireIn` set to the idle timeout so KV reclaims it. KV has no read that
 * also extends an expiry, so loading a session is a read and a commit checked against it (two
 * round trips): a session deleted in between is never brought back.
 */
export class DenoKvSessionStore implements SessionStore {
  readonly #kv: DenoKv;
  readonly #prefix: KvKey;
  readonly #timeoutMs: number;

  constructor(options: DenoKvStoreOptions) {
    this.#kv = options.kv;
    this.#prefix = [...(options.prefix ?? DEFAULT_KV_PREFIX), "session"];
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  async get(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const text = await this.#slide(id, ttlMs);
    if (text === undefined) return undefined;
    const record = toSessionRecord(text);
    // The expiry slid; report this access as the in-memory store does.
    if (record) record.lastAccessAt = Math.max(record.lastAccessAt, Date.now());
    return record;
  }

  async set(record: SessionRecord, ttlMs: number): Promise<void> {
    const value: StoredSession = { record: JSON.stringify(record), expiresAt: Date.now() + ttlMs };
    await guarded(() => this.#kv.set(this.#key(record.id), value, { expireIn: expireIn(ttlMs) }), this.#timeoutMs);
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    return (await this.#slide(id, ttlMs)) !== undefined;
  }

  async delete(id: string): Promise<void> {
    await guarded(() => this.#kv.delete(this.#key(id)), this.#timeoutMs);
  }

  /**
   * Reads the session and moves its expiry to `ttlMs` from now; its JSON, or undefined when it is gone.
   * When the checked commit loses to a concurrent writer of the same session (another request
   * sliding it, a `set`, a `delete`), the record as read is still the answer: it existed when read,
   * as a Redis `GETEX` just before that writer, and whatever that writer did stands. Retrying would
   * only make parallel requests of one session contend.
   */
  async #slide(id: string, ttlMs: number): Promise<string | undefined> {
    const key = this.#key(id);
    const entry = await guarded(() => this.#kv.get(key), this.#timeoutMs);
    const session = stored(entry, Date.now());
    if (!session) return undefined;
    const value: StoredSession = { record: session.record, expiresAt: Date.now() + ttlMs };
    await guarded(
      () =>
        this.#kv
          .atomic()
          .check({ key, versionstamp: entry.versionstamp })
          .set(key, value, { expireIn: expireIn(ttlMs) })
          .commit(),
      this.#timeoutMs,
    );
    return session.record;
  }

  #key(id: string): KvKey {
    return [...this.#prefix, id];
  }
}
