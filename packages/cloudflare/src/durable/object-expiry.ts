import type { ObjectStorage } from "./platform.js";

/**
 * The object's one alarm, set to the earliest time something it keeps expires. It moves only
 * earlier when something is written: a session whose deadline slides later keeps the old alarm,
 * which then finds the new deadline and sets the next one. So sliding costs no alarm write.
 */
export class Expiry {
  readonly #storage: ObjectStorage;
  /** The alarm as set; undefined until read once from storage. */
  #at: number | null | undefined;

  constructor(storage: ObjectStorage) {
    this.#storage = storage;
  }

  /** Makes sure the alarm fires no later than `at`. */
  async before(at: number): Promise<void> {
    if (this.#at === undefined) this.#at = await this.#storage.getAlarm();
    if (this.#at !== null && this.#at <= at) return;
    this.#at = at;
    await this.#storage.setAlarm(at);
  }

  /** The alarm fired: none is set until `before` or `next` sets one. */
  fired(): void {
    this.#at = null;
  }

  /** Sets the alarm to `at` after a sweep (none when nothing is left to expire). */
  async next(at: number): Promise<void> {
    if (!Number.isFinite(at)) return;
    this.#at = at;
    await this.#storage.setAlarm(at);
  }

  /** Everything is gone: no alarm either. */
  async clear(): Promise<void> {
    this.#at = null;
    await this.#storage.deleteAlarm();
  }
}
