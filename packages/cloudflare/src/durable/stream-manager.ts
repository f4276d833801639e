import type { StreamManager, Unsubscribe } from "@mcp-edge/core/storage";
import type { ObjectClient } from "./call.js";
import { channelOwner, Op } from "./routing.js";
import { Subscription, type SubscriptionOptions } from "./subscription.js";

/**
 * Pub/sub through objects: `publish` is one request to the object carrying the channel, which sends
 * to its WebSockets; `subscribe` opens a WebSocket to it (see `Subscription`).
 */
export class DurableStreamManager implements StreamManager {
  readonly #client: ObjectClient;
  readonly #options: SubscriptionOptions;
  readonly #subscriptions = new Set<Subscription>();

  constructor(client: ObjectClient, options: SubscriptionOptions) {
    this.#client = client;
    this.#options = options;
  }

  async publish(channel: string, message: string): Promise<void> {
    const owner = channelOwner(channel);
    await this.#client.call<void>(owner.name, Op.publish, { channel, message, session: owner.session });
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const subscription = new Subscription(this.#client, channelOwner(channel).name, channel, handler, this.#options);
    await subscription.open();
    this.#subscriptions.add(subscription);
    return async () => {
      if (!this.#subscriptions.delete(subscription)) return;
      subscription.close();
    };
  }

  /** Subscriptions held (tests prove nothing leaks). */
  get channelCount(): number {
    return this.#subscriptions.size;
  }

  async close(): Promise<void> {
    for (const subscription of this.#subscriptions) subscription.close();
    this.#subscriptions.clear();
  }
}
