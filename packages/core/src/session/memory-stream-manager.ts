import type { StreamManager, Unsubscribe } from "./types.js";

/** Pub/sub within one process: the single-instance pattern, and the reference for the contract suite. */
export class InMemoryStreamManager implements StreamManager {
  readonly #channels = new Map<string, Set<(message: string) => void>>();

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.#channels.get(channel);
    if (!handlers) return;
    for (const handler of [...handlers]) {
      try {
        handler(message);
      } catch {
        // One failing subscriber must not stop delivery to the others.
      }
    }
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    let handlers = this.#channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
    }
    // Wrap so the same function can be subscribed twice and unsubscribed independently.
    const entry = (message: string) => handler(message);
    handlers.add(entry);
    return async () => {
      const set = this.#channels.get(channel);
      if (!set) return;
      set.delete(entry);
      if (set.size === 0) this.#channels.delete(channel);
    };
  }

  /** Channels with at least one subscriber (tests use it to prove nothing leaks). */
  get channelCount(): number {
    return this.#channels.size;
  }
}
