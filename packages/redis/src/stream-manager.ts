import type { StreamManager, Unsubscribe } from "@mcp-edge/core/storage";
import { type Channel, type ChannelBackend, ChannelRegistry } from "@mcp-edge/redis-kit";
import type { ConnectionOptions, RedisClientInput, RedisConnection } from "./connection.js";
import { DEFAULT_PREFIX } from "./options.js";
import { toRedisConnection } from "./to-connection.js";

export interface RedisStreamManagerOptions extends ConnectionOptions {
  /** Publishes. May be the same client the session and event stores use. */
  client: RedisClientInput;
  /**
   * A connection of its own for SUBSCRIBE (a subscribed connection can run no other command):
   * `client.duplicate()` (node-redis: then `await connect()`). Give each stream manager its own.
   */
  pubSubClient: RedisClientInput;
  /** Prepended to every channel name. Pub/sub ignores Redis databases, so this is what keeps deployments apart. Default `mcp:`. */
  prefix?: string;
}

/**
 * Cross-instance delivery over Redis pub/sub. Each channel is subscribed once per instance however
 * many local handlers it has; the last handler leaving unsubscribes it. Publishing is one round
 * trip; subscribing costs one only for a channel this instance is not yet subscribed to.
 */
export class RedisStreamManager implements StreamManager {
  readonly #publisher: RedisConnection;
  readonly #prefix: string;
  readonly #channels: ChannelRegistry<Subscription>;

  constructor(options: RedisStreamManagerOptions) {
    if (options.client === options.pubSubClient) {
      throw new TypeError(
        "@mcp-edge/redis: pubSubClient must be a separate connection from client (use client.duplicate())",
      );
    }
    this.#publisher = toRedisConnection(options.client, options);
    const subscriber = toRedisConnection(options.pubSubClient, options);
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#channels = new ChannelRegistry(pubSub(subscriber));
    // After an outage the client resubscribes what it had; bring every channel back in line with
    // the handlers that exist now (an unsubscribe may have failed while Redis was away).
    subscriber.onReady(() => {
      for (const channel of this.#channels.channels()) this.#channels.reconcile(channel).catch(() => {});
    });
  }

  /** `PUBLISH`: one round trip. */
  async publish(channel: string, message: string): Promise<void> {
    await this.#publisher.publish(this.#prefix + channel, message);
  }

  /** `SUBSCRIBE` for a channel this instance is not yet subscribed to: one round trip; otherwise none. */
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    return this.#channels.subscribe(this.#prefix + channel, handler);
  }

  /** Drops every subscription of this instance (for shutdown); the clients stay open, they are the caller's. */
  close(): Promise<void> {
    return this.#channels.close();
  }

  /** Channels this instance holds a Redis subscription or local handlers for (tests prove nothing leaks). */
  get channelCount(): number {
    return this.#channels.size;
  }
}

/** Whether Redis has the channel subscribed, as far as the last finished command knows. */
interface Subscription {
  subscribed: boolean;
}

/** Holds one Redis subscription per channel, whose one listener fans messages out to the handlers. */
function pubSub(subscriber: RedisConnection): ChannelBackend<Subscription> {
  return {
    create: () => ({ subscribed: false }),
    async sync(channel: Channel<Subscription>) {
      const wanted = channel.handlers.size > 0;
      if (wanted && !channel.link.subscribed) {
        await subscriber.subscribe(channel.name, channel.deliver);
        channel.link.subscribed = true;
      } else if (!wanted && channel.link.subscribed) {
        await subscriber.unsubscribe(channel.name, channel.deliver);
        channel.link.subscribed = false;
      }
    },
    idle: (channel) => !channel.link.subscribed,
  };
}
