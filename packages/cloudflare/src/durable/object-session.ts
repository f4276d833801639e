import type { Expiry } from "./object-expiry.js";
import { SESSION_KEY, type SessionEntry } from "./object-keys.js";
import type { ObjectStorage } from "./platform.js";

/**
 * How far a deadline may lag behind "now + ttl" before a read rewrites it. Requests within that much
 * of each other cost no write; the session expires at most this late, never early, because every
 * write sets the deadline this much past what was asked.
 */
function slack(ttlMs: number): number {
  return Math.min(Math.floor(ttlMs / 10), 60_000);
}

/** The session record an object holds (it is named by the session id), with its sliding idle deadline. */
export class SessionSlot {
  readonly #storage: ObjectStorage;
  readonly #expiry: Expiry;
  readonly #wipe: () => Promise<void>;

  constructor(storage: ObjectStorage, expiry: Expiry, wipe: () => Promise<void>) {
    this.#storage = storage;
    this.#expiry = expiry;
    this.#wipe = wipe;
  }

  /** The record with its deadline slid to `ttlMs` from now; null when there is none or it expired. */
  async get(ttlMs: number): Promise<string | null> {
    const entry = await this.#live();
    if (!entry) return null;
    await this.#slide(entry, ttlMs);
    return entry.value;
  }

  async set(value: string, ttlMs: number): Promise<void> {
    const deadline = Date.now() + ttlMs + slack(ttlMs);
    await this.#storage.put({ [SESSION_KEY]: { value, deadline } satisfies SessionEntry });
    await this.#expiry.before(deadline);
  }

  /** Slides the deadline; false when there is no session. */
  async expire(ttlMs: number): Promise<boolean> {
    const entry = await this.#live();
    if (!entry) return false;
    await this.#slide(entry, ttlMs);
    return true;
  }

  /** Whether the object holds a live session (read without sliding it). */
  async exists(): Promise<boolean> {
    return (await this.#live()) !== undefined;
  }

  /** The deadline of the session held, if any (for the alarm). */
  async deadline(): Promise<number | undefined> {
    return (await this.#storage.get<SessionEntry>(SESSION_KEY))?.deadline;
  }

  async #live(): Promise<SessionEntry | undefined> {
    const entry = await this.#storage.get<SessionEntry>(SESSION_KEY);
    if (!entry) return undefined;
    if (entry.deadline > Date.now()) return entry;
    // The alarm may not have run yet; the session is gone all the same.
    await this.#wipe();
    return undefined;
  }

  async #slide(entry: SessionEntry, ttlMs: number): Promise<void> {
    const wanted = Date.now() + ttlMs;
    if (entry.deadline >= wanted && entry.deadline <= wanted + slack(ttlMs)) return;
    const deadline = wanted + slack(ttlMs);
    await this.#storage.put({ [SESSION_KEY]: { value: entry.value, deadline } satisfies SessionEntry });
    await this.#expiry.before(deadline);
  }
}
