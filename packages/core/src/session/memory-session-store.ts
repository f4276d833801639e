import { copyJson } from "./copy-json.js";
import type { SessionRecord, SessionStore } from "./types.js";

/**
 * Every caller gets its own copy of a record, in and out (the contract: changing a loaded or a
 * stored record changes nothing in the store). Kept as objects, records take no more memory than
 * their JSON text would (V8 shares the keys' strings and shapes) and copy four times faster than a
 * parse of it.
 */
interface Entry {
  record: SessionRecord;
  expiresAt: number;
  /** When the entry last moved to the back of the Map (see #reinsert). */
  movedAt: number;
}

/** Access order is kept to this precision: a busy session is not re-inserted on every request. */
const ORDER_PRECISION_MS = 1_000;

/**
 * Sessions in this process's memory. Expiry needs no timer per session: the Map is kept in
 * last-access order (touching re-inserts), so a sweep walks expired entries from the front and
 * stops at the first live one. Sweeps run on access, at most once per `sweepIntervalMs`.
 */
export class InMemorySessionStore implements SessionStore {
  #entries = new Map<string, Entry>();
  #peak = 0;
  readonly #now: () => number;
  readonly #sweepIntervalMs: number;
  #nextSweepAt = 0;

  constructor(options: { now?: () => number; sweepIntervalMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 1_000;
  }

  /** Live sessions; expired ones are reclaimed first. */
  get size(): number {
    this.#sweep(true);
    return this.#entries.size;
  }

  async get(id: string, ttlMs: number): Promise<SessionRecord | undefined> {
    const entry = this.#live(id);
    if (!entry) return undefined;
    this.#reinsert(id, entry, ttlMs);
    const record = copyJson(entry.record);
    record.lastAccessAt = this.#now();
    return record;
  }

  async set(record: SessionRecord, ttlMs: number): Promise<void> {
    this.#sweep(false);
    this.#entries.delete(record.id);
    const now = this.#now();
    this.#entries.set(record.id, { record: copyJson(record), expiresAt: now + ttlMs, movedAt: now });
    if (this.#entries.size > this.#peak) this.#peak = this.#entries.size;
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    const entry = this.#live(id);
    if (!entry) return false;
    this.#reinsert(id, entry, ttlMs);
    return true;
  }

  async delete(id: string): Promise<void> {
    this.#entries.delete(id);
    this.#compact();
  }

  /**
   * V8 never shrinks a Map's table on delete, so after a spike of sessions the table would keep its
   * peak size forever. Rebuilding once it is a quarter full returns that memory (amortised O(1)).
   */
  #compact(): void {
    const size = this.#entries.size;
    if (size > this.#peak) this.#peak = size;
    if (this.#peak >= 1_024 && size <= this.#peak / 4) {
      this.#entries = new Map(this.#entries);
      this.#peak = size;
    }
  }

  #live(id: string): Entry | undefined {
    this.#sweep(false);
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(id);
      this.#compact();
      return undefined;
    }
    return entry;
  }

  /**
   * Slides the expiry and keeps the Map in (roughly) last-access order for the sweep. Moving an entry
   * costs a delete and an insert (and, in time, a rehash of the table), so an entry that moved within
   * the last second stays where it is: the order is then off by at most that second, which only
   * delays a sweep, never lets an expired session through (#live checks every access).
   */
  #reinsert(id: string, entry: Entry, ttlMs: number): void {
    const now = this.#now();
    entry.expiresAt = now + ttlMs;
    if (now - entry.movedAt < ORDER_PRECISION_MS) return;
    entry.movedAt = now;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
  }

  #sweep(force: boolean): void {
    const now = this.#now();
    if (!force && now < this.#nextSweepAt) return;
    this.#nextSweepAt = now + this.#sweepIntervalMs;
    // Entries with different TTLs may interleave (and access order is kept to a second), so a routine
    // sweep stops at the first live one: a cheap, amortised pass that reclaims the common case. A
    // forced sweep (for an exact `size`) looks at every entry.
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) {
        if (force) continue;
        break;
      }
      this.#entries.delete(id);
    }
    this.#compact();
  }
}
