/**
 * Runs tasks one after another per key, in call order. A key is forgotten once its last task
 * settles, so the map holds only keys with work in flight.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => {});
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }

  /** Keys with work in flight (tests prove nothing leaks). */
  get size(): number {
    return this.#tails.size;
  }
}
