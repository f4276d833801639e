import type { Expiry } from "./object-expiry.js";
import { deleteKeys, LISTENER_PREFIX, type ListenerEntry, listenerKey } from "./object-keys.js";
import type { ObjectStorage } from "./platform.js";

/**
 * The broadcast registry (kept by one object): which streams listen, each with its resource
 * subscriptions (JSON text) and when its registration lapses.
 */
export class Listeners {
  readonly #storage: ObjectStorage;
  readonly #expiry: Expiry;

  constructor(storage: ObjectStorage, expiry: Expiry) {
    this.#storage = storage;
    this.#expiry = expiry;
  }

  /**
   * Registers or refreshes `streamId` for at least `ttlMs`; returns when the registration lapses. A
   * held stream refreshes its registration every check; the write is skipped while the one stored
   * still lasts long enough, and each write adds a little slack so that most refreshes find it so.
   */
  async register(streamId: string, value: string, now: number, ttlMs: number): Promise<number> {
    const key = listenerKey(streamId);
    const stored = await this.#storage.get<ListenerEntry>(key);
    if (stored && stored.value === value && stored.expiresAt >= now + ttlMs) return stored.expiresAt;
    const expiresAt = now + ttlMs + Math.min(Math.floor(ttlMs / 4), 60_000);
    await this.#storage.put({ [key]: { value, expiresAt } satisfies ListenerEntry });
    await this.#expiry.before(expiresAt);
    return expiresAt;
  }

  /** Replaces the value of a live registration, keeping when it lapses; nothing for one that is not. */
  async replace(streamId: string, value: string): Promise<void> {
    const key = listenerKey(streamId);
    const entry = await this.#storage.get<ListenerEntry>(key);
    if (!entry || entry.expiresAt <= Date.now()) return;
    await this.#storage.put({ [key]: { value, expiresAt: entry.expiresAt } satisfies ListenerEntry });
  }

  async unregister(streamId: string): Promise<void> {
    await this.#storage.delete([listenerKey(streamId)]);
  }

  /** The streams registered at `now`; lapsed registrations are removed on the way. */
  async members(now: number): Promise<string[]> {
    const rows = await this.#storage.list<ListenerEntry>({ prefix: LISTENER_PREFIX });
    const live: string[] = [];
    const lapsed: string[] = [];
    for (const [key, entry] of rows) {
      if (entry.expiresAt > now) live.push(key.slice(LISTENER_PREFIX.length));
      else lapsed.push(key);
    }
    await deleteKeys(this.#storage, lapsed);
    return live;
  }

  /** The value of each stream's registration, null where it has none. */
  async values(streamIds: readonly string[]): Promise<(string | null)[]> {
    const now = Date.now();
    const out: (string | null)[] = [];
    for (let at = 0; at < streamIds.length; at += 128) {
      const keys = streamIds.slice(at, at + 128).map(listenerKey);
      const rows = await this.#storage.get<ListenerEntry>(keys);
      for (const key of keys) {
        const entry = rows.get(key);
        out.push(entry && entry.expiresAt > now ? entry.value : null);
      }
    }
    return out;
  }
}
