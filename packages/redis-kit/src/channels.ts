import type { Unsubscribe } from "@mcp-edge/core/storage";

export type MessageHandler = (message: string) => void;

/**
 * One channel this instance listens to: its local handlers, and whatever the backend keeps to hold
 * its subscription (`link`: a subscribed flag, a stream, a socket).
 */
export class Channel<L> {
  readonly handlers = new Set<MessageHandler>();
  /** Changes to one channel's subscription run one after another, in call order. */
  queue: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly link: L,
  ) {}

  /** Hands `message` to every local handler; the one listener a backend registers per channel. */
  readonly deliver = (message: string): void => {
    for (const handler of [...this.handlers]) {
      try {
        handler(message);
      } catch {
        // One failing subscriber must not stop delivery to the others, nor reach the client's
        // event loop, where it would surface as an unhandled error.
      }
    }
  };
}

/** What a backend does for the registry: hold a channel's subscription while it has handlers. */
export interface ChannelBackend<L> {
  /** The link state of a channel nobody listened to yet. */
  create(name: string): L;
  /**
   * Brings the backend in line with the channel: subscribed while it has handlers, not otherwise.
   * Never runs concurrently with itself for the same channel.
   */
  sync(channel: Channel<L>): Promise<void>;
  /** True when the channel holds nothing at the backend any more (no subscription, nothing pending). */
  idle(channel: Channel<L>): boolean;
}

/**
 * The subscription bookkeeping every cross-instance stream manager needs: each channel is
 * subscribed once per instance however many local handlers it has, the last handler leaving
 * unsubscribes it, and changes to one channel are serialized so quick subscribe/unsubscribe cycles
 * cannot interleave and leave it in the wrong state. The backend only says how to (un)subscribe.
 */
export class ChannelRegistry<L> {
  readonly #backend: ChannelBackend<L>;
  readonly #channels = new Map<string, Channel<L>>();

  constructor(backend: ChannelBackend<L>) {
    this.#backend = backend;
  }

  /** Adds `handler` to `name`; resolves once the backend holds the subscription. */
  async subscribe(name: string, handler: MessageHandler): Promise<Unsubscribe> {
    const channel = this.#channel(name);
    // Wrap so the same function can be subscribed twice and unsubscribed independently.
    const entry: MessageHandler = (message) => handler(message);
    channel.handlers.add(entry);
    try {
      await this.reconcile(channel);
    } catch (error) {
      channel.handlers.delete(entry);
      this.reconcile(channel).catch(() => {});
      throw error;
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      channel.handlers.delete(entry);
      await this.reconcile(channel);
    };
  }

  /** Drops every handler and subscription (for shutdown); failures are swallowed, the outcome is the same. */
  async close(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const channel of this.#channels.values()) {
      channel.handlers.clear();
      pending.push(this.reconcile(channel));
    }
    await Promise.allSettled(pending);
  }

  /** Channels held: with handlers, a subscription or pending work (tests prove nothing leaks). */
  get size(): number {
    return this.#channels.size;
  }

  /** The channels held now, for a backend that must repair them (after an outage, say). */
  channels(): Channel<L>[] {
    return [...this.#channels.values()];
  }

  /**
   * Queues a `sync` of the channel behind every earlier change to it, then forgets the channel if
   * it has neither handlers nor anything held at the backend.
   */
  reconcile(channel: Channel<L>): Promise<void> {
    const run = async () => {
      await this.#backend.sync(channel);
      if (channel.handlers.size === 0 && this.#backend.idle(channel) && this.#channels.get(channel.name) === channel) {
        this.#channels.delete(channel.name);
      }
    };
    const next = channel.queue.then(run, run);
    channel.queue = next.catch(() => {});
    return next;
  }

  #channel(name: string): Channel<L> {
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = new Channel(name, this.#backend.create(name));
      this.#channels.set(name, channel);
    }
    return channel;
  }
}
