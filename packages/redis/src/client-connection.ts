import type { Emitter, EventListener } from "./clients.js";
import { Commands } from "./commands.js";
import type { ConnectionOptions, RedisConnection, StreamEntry } from "./connection.js";
import { guarded } from "./guarded.js";
import { optionalText } from "./replies.js";
import { watchErrors } from "./watch-errors.js";

const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;

/**
 * What the node-redis and ioredis adapters have in common: the operations that are one plain command
 * (the clients differ only in how a command is sent), the timeout, error watching and readiness.
 * Each adapter adds the operations its client batches or subscribes in its own way.
 */
export abstract class ClientConnection implements RedisConnection {
  readonly #client: Emitter;
  readonly #timeoutMs: number;

  constructor(client: Emitter, options: ConnectionOptions) {
    this.#client = client;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    watchErrors(client, options.onError);
  }

  /** Whether `guard` bounds every operation with a timeout of its own. */
  protected get timesOut(): boolean {
    return this.#timeoutMs > 0;
  }

  /** Sends one command through the client, as the client does it; `send` adds the guard. */
  protected abstract dispatch(args: string[]): Promise<unknown>;

  /** Runs `operation` under the command timeout, with its failures turned into store errors. */
  protected guard<T>(operation: () => Promise<T>): Promise<T> {
    return guarded(operation, this.#timeoutMs);
  }

  protected send(args: string[]): Promise<unknown> {
    return this.guard(() => this.dispatch(args));
  }

  async getEx(key: string, ttlMs: number): Promise<string | null> {
    return optionalText(await this.send(Commands.getEx(key, ttlMs)));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.send(Commands.set(key, value, ttlMs));
  }

  async pExpire(key: string, ttlMs: number): Promise<boolean> {
    return Number(await this.send(Commands.pExpire(key, ttlMs))) === 1;
  }

  async del(key: string): Promise<void> {
    await this.send(Commands.del(key));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.send(Commands.publish(channel, message));
  }

  abstract appendCapped(key: string, value: string, maxLen: number, ttlMs: number): Promise<string>;

  abstract batch(kind: "multi" | "pipeline", commands: string[][]): Promise<unknown[]>;

  abstract rangeAfter(key: string, after: string): Promise<StreamEntry[] | undefined>;

  abstract subscribe(channel: string, listener: (message: string) => void): Promise<void>;

  abstract unsubscribe(channel: string, listener: (message: string) => void): Promise<void>;

  onReady(listener: () => void): void {
    this.#client.on("ready", listener as EventListener);
  }
}
