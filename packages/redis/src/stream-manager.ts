import type { StreamManager, Unsubscribe } from "@mcp-edge/core";
import {
  type ConnectionOptions,
  type RedisClientInput,
  type RedisConnection,
  toRedisConnection,
} from "./connection.js";
import { DEFAULT_PREFIX } from "./options.js";

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

interface ChannelState {
  readonly handlers: Set<(message: string) => void>;
  /** The one Redis-level listener of the channel; fans each message out to `handlers`. */
  readonly dispatch: (message: string) => void;
  /** Whether Redis has this channel subscribed (as far as the last finished command knows). */
  subscribed: boolean;
  /** Changes to one channel's Redis subscription run one after another, in call order. */
  queue: Promise<void>;
}

/**
 * Cross-instance delivery over Redis pub/sub. Each channel is subscribed once per instance however
 * many local handlers it has; the last handler leaving unsubscribes it. Publishing is one round
 * trip; subscribing costs one only for a channel this instance is not yet subscribed to.
 */
export class RedisStreamManager implements StreamManager {
  readonly #publisher: RedisConnection;
  readonly #subscriber: RedisConnection;
  readonly #prefix: string;
  readonly #channels = new Map<string, ChannelState>();

  constructor(options: RedisStreamManagerOptions) {
    if (options.client === options.pubSubClient) {
      throw new TypeError(
        "@mcp-edge/redis: pubSubClient must be a separate connection from client (use client.duplicate())",
      );
    }
    this.#publisher = toRedisConnection(options.client, options);
    this.#subscriber = toRedisConnection(options.pubSubClient, options);
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
    // After an outage the client resubscribes what it had; bring every channel back in line with
    // the handlers that exist now (an unsubscribe may have failed while Redis was away).
    this.#subscriber.onReady(() => {
      for (const [name, state] of this.#channels) this.#reconcile(name, state).catch(() => {});
    });
  }

  /** `PUBLISH`: one round trip. */
  async publish(channel: string, message: string): Promise<void> {
    await this.#publisher.publish(this.#prefix + channel, message);
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    const name = this.#prefix + channel;
    const state = this.#state(name);
    // Wrap so the same function can be subscribed twice and unsubscribed independently.
    const entry = (message: string) => handler(message);
    state.handlers.add(entry);
    try {
      await this.#reconcile(name, state);
    } catch (error) {
      state.handlers.delete(entry);
      this.#reconcile(name, state).catch(() => {});
      throw error;
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      state.handlers.delete(entry);
      await this.#reconcile(name, state);
    };
  }

  /** Drops every subscription of this instance (for shutdown); the clients stay open, they are the caller's. */
  async close(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const [name, state] of this.#channels) {
      state.handlers.clear();
      pending.push(this.#reconcile(name, state));
    }
    await Promise.allSettled(pending);
  }

  /** Channels this instance holds a Redis subscription or local handlers for (tests prove nothing leaks). */
  get channelCount(): number {
    return this.#channels.size;
  }

  #state(name: string): ChannelState {
    let state = this.#channels.get(name);
    if (!state) {
      const handlers = new Set<(message: string) => void>();
      state = {
        handlers,
        dispatch: (message) => {
          for (const handler of [...handlers]) {
            try {
              handler(message);
            } catch {
              // One failing subscriber must not stop delivery to the others, nor reach the client's
              // event loop, where it would surface as an unhandled error.
            }
          }
        },
        subscribed: false,
        queue: Promise.resolve(),
      };
      this.#channels.set(name, state);
    }
    return state;
  }

  /**
   * Makes Redis's subscription match the handlers: subscribed while there are any, not otherwise.
   * Runs after every earlier change to the same channel, so quick subscribe/unsubscribe cycles
   * cannot interleave their commands and leave the channel in the wrong state.
   */
  #reconcile(name: string, state: ChannelState): Promise<void> {
    const run = async () => {
      const wanted = state.handlers.size > 0;
      if (wanted && !state.subscribed) {
        await this.#subscriber.subscribe(name, state.dispatch);
        state.subscribed = true;
      } else if (!wanted && state.subscribed) {
        await this.#subscriber.unsubscribe(name, state.dispatch);
        state.subscribed = false;
      }
      if (state.handlers.size === 0 && !state.subscribed && this.#channels.get(name) === state) {
        this.#channels.delete(name);
      }
    };
    const next = state.queue.then(run, run);
    state.queue = next.catch(() => {});
    return next;
  }
}
