import { ClientConnection } from "./client-connection.js";
import type { EventListener, IoRedisBatchReply, IoRedisClient } from "./clients.js";
import { Commands } from "./commands.js";
import type { ConnectionOptions, RedisConnection, StreamEntry } from "./connection.js";
import { entries, text } from "./replies.js";

/** ioredis batches name each command by its method name, which is lower case. */
function lowerCased(commands: string[][]): string[][] {
  return commands.map(([command = "", ...args]) => [command.toLowerCase(), ...args]);
}

function batchReplies(reply: IoRedisBatchReply): unknown[] {
  if (!reply) throw new TypeError("the transaction was aborted");
  return reply.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

class IoRedisConnection extends ClientConnection {
  readonly #client: IoRedisClient;
  /** ioredis has one 'message' event per connection; it is fanned out to channel listeners here. */
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  #listening = false;

  constructor(client: IoRedisClient, options: ConnectionOptions) {
    super(client, options);
    this.#client = client;
  }

  protected dispatch(args: string[]): Promise<unknown> {
    const [command = "", ...rest] = args;
    return this.#client.call(command, ...rest);
  }

  /** Sends `commands` in one round trip, as a MULTI/EXEC transaction or as a plain pipeline. */
  batch(kind: "multi" | "pipeline", commands: string[][]): Promise<unknown[]> {
    return this.guard(async () => batchReplies(await this.#client[kind](lowerCased(commands)).exec()));
  }

  async appendCapped(key: string, value: string, maxLen: number, ttlMs: number): Promise<string> {
    const [id] = await this.batch("multi", [Commands.xAdd(key, value, maxLen), Commands.pExpire(key, ttlMs)]);
    return text(id);
  }

  async rangeAfter(key: string, after: string): Promise<StreamEntry[] | undefined> {
    const [range, exists] = await this.batch("pipeline", [Commands.xRangeAfter(key, after), Commands.exists(key)]);
    return Number(exists) === 1 ? entries(range) : undefined;
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    if (!this.#listening) {
      this.#listening = true;
      this.#client.on("message", ((from: string, message: string) => {
        for (const each of this.#channels.get(from) ?? []) each(message);
      }) as EventListener);
    }
    // Listen before subscribing: the confirmation and a first message can arrive in one read, and
    // ioredis emits both before this function resumes.
    let listeners = this.#channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
    }
    listeners.add(listener);
    try {
      await this.guard(() => this.#client.subscribe(channel));
    } catch (error) {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#channels.get(channel) === listeners) this.#channels.delete(channel);
      throw error;
    }
  }

  async unsubscribe(channel: string, listener: (message: string) => void): Promise<void> {
    const listeners = this.#channels.get(channel);
    listeners?.delete(listener);
    if (listeners && listeners.size > 0) return;
    this.#channels.delete(channel);
    await this.guard(() => this.#client.unsubscribe(channel));
  }
}

/** Wraps an `ioredis` client. */
export function fromIoRedis(client: IoRedisClient, options: ConnectionOptions = {}): RedisConnection {
  return new IoRedisConnection(client, options);
}
