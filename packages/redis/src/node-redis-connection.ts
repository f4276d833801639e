import { StoreUnavailableError } from "@mcp-edge/core/storage";
import { ClientConnection } from "./client-connection.js";
import type { NodeRedisClient } from "./clients.js";
import { Commands } from "./commands.js";
import type { ConnectionOptions, RedisConnection, StreamEntry } from "./connection.js";
import { entries, text } from "./replies.js";

/**
 * node-redis 6 bounds every command with an `AbortSignal.timeout` of its own, which lives on for its
 * whole duration after the reply and makes each command several times as costly; where the guard
 * already bounds the call, the client's is turned off for the commands of this package.
 */
const GUARDED_COMMAND = { timeout: 0 } as const;

class NodeRedisConnection extends ClientConnection {
  readonly #client: NodeRedisClient;
  readonly #commandOptions: typeof GUARDED_COMMAND | undefined;
  /** node-redis calls listeners with (message, channel); one wrapper per listener, kept to remove it later. */
  readonly #listeners = new WeakMap<(message: string) => void, (message: string) => void>();

  constructor(client: NodeRedisClient, options: ConnectionOptions) {
    super(client, options);
    this.#client = client;
    this.#commandOptions = this.timesOut ? GUARDED_COMMAND : undefined;
  }

  protected dispatch(args: string[]): Promise<unknown> {
    return this.#client.sendCommand(args, this.#commandOptions);
  }

  /**
   * node-redis refuses plain commands while offline when `disableOfflineQueue` is set, but queues
   * MULTI and (UN)SUBSCRIBE regardless; this applies the application's choice to those too.
   */
  #guardOnline<T>(operation: () => Promise<T>): Promise<T> {
    return this.guard(async () => {
      if (this.#client.options?.disableOfflineQueue === true && !this.#client.isReady) {
        throw new StoreUnavailableError("session store unavailable: redis client is offline");
      }
      return operation();
    });
  }

  async appendCapped(key: string, value: string, maxLen: number, ttlMs: number): Promise<string> {
    const replies = await this.#guardOnline(() =>
      this.#client
        .multi()
        .addCommand(Commands.xAdd(key, value, maxLen))
        .addCommand(Commands.pExpire(key, ttlMs))
        .exec(),
    );
    if (!Array.isArray(replies)) throw new TypeError("unexpected EXEC reply");
    return text(replies[0]);
  }

  async batch(kind: "multi" | "pipeline", commands: string[][]): Promise<unknown[]> {
    if (kind === "pipeline") {
      // node-redis writes every command issued in the same tick in one batch: one round trip.
      return Promise.all(commands.map((command) => this.send(command)));
    }
    const replies = await this.#guardOnline(() => {
      const multi = this.#client.multi();
      for (const command of commands) multi.addCommand(command);
      return multi.exec();
    });
    if (!Array.isArray(replies)) throw new TypeError("unexpected EXEC reply");
    return replies;
  }

  async rangeAfter(key: string, after: string): Promise<StreamEntry[] | undefined> {
    // node-redis writes every command issued in the same tick in one batch: one round trip.
    const [range, exists] = await Promise.all([
      this.send(Commands.xRangeAfter(key, after)),
      this.send(Commands.exists(key)),
    ]);
    return Number(exists) === 1 ? entries(range) : undefined;
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    let wrapped = this.#listeners.get(listener);
    if (!wrapped) {
      wrapped = (message: string) => listener(message);
      this.#listeners.set(listener, wrapped);
    }
    const subscriber = wrapped;
    await this.#guardOnline(() => this.#client.SUBSCRIBE(channel, subscriber));
  }

  async unsubscribe(channel: string, listener: (message: string) => void): Promise<void> {
    const wrapped = this.#listeners.get(listener);
    if (!wrapped) return;
    await this.#guardOnline(() => this.#client.UNSUBSCRIBE(channel, wrapped));
  }
}

/** Wraps a client from the official `redis` package. It must be connected (`await client.connect()`). */
export function fromNodeRedis(client: NodeRedisClient, options: ConnectionOptions = {}): RedisConnection {
  return new NodeRedisConnection(client, options);
}
