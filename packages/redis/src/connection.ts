import { StoreUnavailableError } from "@mcp-edge/core";

/** One entry of a Redis stream as the event store reads it back. */
export interface StreamEntry {
  id: string;
  value: string;
}

/**
 * The handful of Redis operations the three stores need. Each store is written once against this
 * interface; `fromNodeRedis` and `fromIoRedis` implement it over the two clients, and any other
 * client can be plugged in by implementing it. Every method rejects with `StoreUnavailableError`
 * when Redis cannot be reached, and costs the round trips written beside it.
 */
export interface RedisConnection {
  /** `GETEX key PX ttl`: the value with its TTL slid, or null. One round trip. */
  getEx(key: string, ttlMs: number): Promise<string | null>;
  /** `SET key value PX ttl`. One round trip. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** `PEXPIRE key ttl`: false when the key does not exist. One round trip. */
  pExpire(key: string, ttlMs: number): Promise<boolean>;
  /** `DEL key`. One round trip. */
  del(key: string): Promise<void>;
  /** `PUBLISH channel message`. One round trip. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * `MULTI; XADD key MAXLEN maxLen * data value; PEXPIRE key ttl; EXEC`: appends to a capped
   * stream and slides its TTL atomically, so no stream is ever left without an expiry. Returns the
   * entry id. One round trip.
   */
  appendCapped(key: string, value: string, maxLen: number, ttlMs: number): Promise<string>;
  /**
   * `XRANGE key (after +` pipelined with `EXISTS key`: the entries after `after`, or undefined when
   * the stream does not exist (never written, or expired). One round trip.
   */
  rangeAfter(key: string, after: string): Promise<StreamEntry[] | undefined>;
  /** `SUBSCRIBE channel`; resolves once Redis confirmed it. Only on a connection dedicated to pub/sub. */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** `UNSUBSCRIBE channel` for the listener given to `subscribe`. */
  unsubscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** Called whenever the connection is (re)established, so callers can repair state after an outage. */
  onReady(listener: () => void): void;
}

export interface ConnectionOptions {
  /**
   * Upper bound on how long one operation may wait for Redis before it fails with
   * `StoreUnavailableError` (default 5000 ms; 0 disables). A safety net for clients that queue
   * commands while disconnected; configure the client not to (see the README) so failures are
   * immediate instead.
   */
  commandTimeoutMs?: number;
  /**
   * Receives the client's connection errors. Without it, and without an 'error' listener of the
   * application's own, errors are logged once per outage. Either way they never crash the process.
   */
  onError?: (error: unknown) => void;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;

// ---- the clients, described by the little we use, so neither package is needed to type-check -----

type EventListener = (...args: unknown[]) => void;

interface Emitter {
  on(event: string, listener: EventListener): unknown;
  listenerCount(event: string): number;
}

interface NodeRedisMulti {
  addCommand(args: string[]): NodeRedisMulti;
  exec(): Promise<unknown>;
}

/** A connected client from the official `redis` package (node-redis v4 and later). */
export interface NodeRedisClient extends Emitter {
  readonly isReady: boolean;
  readonly options?: { disableOfflineQueue?: boolean } | undefined;
  sendCommand(args: string[]): Promise<unknown>;
  multi(): NodeRedisMulti;
  SUBSCRIBE(channel: string, listener: (message: string, channel: string) => unknown): Promise<void>;
  UNSUBSCRIBE(channel: string, listener: (message: string, channel: string) => unknown): Promise<void>;
}

type IoRedisBatchReply = [Error | null, unknown][] | null;

/** A client from the `ioredis` package (v5 and later). */
export interface IoRedisClient extends Emitter {
  readonly status: string;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  multi(commands: (string | number)[][]): { exec(): Promise<IoRedisBatchReply> };
  pipeline(commands: (string | number)[][]): { exec(): Promise<IoRedisBatchReply> };
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
}

export type RedisClient = NodeRedisClient | IoRedisClient;

// ---- errors -----------------------------------------------------------------------------------------

/**
 * Server error replies that mean "Redis cannot serve right now" (loading, failing over, out of
 * memory...), as opposed to replies that reveal a bug in this package (WRONGTYPE, syntax), which
 * are rethrown as they are so they are not mistaken for an outage.
 */
const UNAVAILABLE_REPLIES =
  /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|OOM|MISCONF|NOREPLICAS|NOAUTH|WRONGPASS)\b/;

function isServerReply(error: Error): boolean {
  if (error.name === "ReplyError") return true; // ioredis (redis-errors)
  // node-redis's ErrorReply family keeps the name "Error"; its class names tell it apart.
  for (let proto: object | null = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    const ctor = (proto as { constructor?: { name?: string } }).constructor;
    if (ctor?.name === "ErrorReply") return true;
    if (ctor === Error) break;
  }
  return false;
}

/** node-redis reports a failed transaction as one error holding each command's reply: use the failed one. */
function innermost(error: Error): Error {
  const replies = (error as { replies?: unknown }).replies;
  if (Array.isArray(replies)) {
    const failed = replies.find((reply): reply is Error => reply instanceof Error);
    if (failed) return failed;
  }
  return error;
}

/** What any failure of a Redis call becomes: an outage (503) unless Redis itself said the request was wrong. */
export function toStoreError(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  // Programming errors (in this package or a client) are bugs, not outages: let them show as such.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) return error;
  if (error instanceof Error && isServerReply(error)) {
    const reply = innermost(error);
    if (!UNAVAILABLE_REPLIES.test(reply.message)) return reply;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`session store unavailable: redis: ${detail}`, { cause: error });
}

function guarded<T>(operation: () => Promise<T>, timeoutMs: number): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = operation();
  } catch (error) {
    // Some client methods throw synchronously (e.g. a closed client); same treatment as a rejection.
    return Promise.reject(toStoreError(error));
  }
  if (timeoutMs <= 0) return pending.catch((error: unknown) => Promise.reject(toStoreError(error)));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new StoreUnavailableError(`session store unavailable: redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(toStoreError(error));
      },
    );
  });
}

/** Clients whose 'error' events this package already listens to: one listener per client is enough. */
const watched = new WeakSet<object>();

/**
 * An EventEmitter with no 'error' listener throws the error, which crashes the process (node-redis
 * does this on every failed reconnect). A listener is attached once per client so an outage can
 * never take the server down; what it reports goes to `onError`, or is logged once per outage when
 * the application listens to nothing itself.
 */
function watchErrors(client: Emitter, onError: ((error: unknown) => void) | undefined): void {
  if (watched.has(client)) return;
  watched.add(client);
  let reported = false;
  client.on("ready", (() => {
    reported = false;
  }) as EventListener);
  client.on("error", ((error: unknown) => {
    if (onError) return onError(error);
    // More listeners than this one: the application handles its client's errors itself.
    if (reported || client.listenerCount("error") > 1) return;
    reported = true;
    const detail = error instanceof Error ? error.message : String(error);
    console.warn(`[@mcp-edge/redis] connection error (further ones are silent until it reconnects): ${detail}`);
  }) as EventListener);
}

// ---- reply parsing ------------------------------------------------------------------------------------

const decoder = new TextDecoder();

/** Bulk strings arrive as strings, or as bytes when a client is set to return buffers. */
function text(reply: unknown): string {
  if (typeof reply === "string") return reply;
  if (reply instanceof Uint8Array) return decoder.decode(reply);
  if (typeof reply === "number") return String(reply);
  throw new TypeError(`unexpected redis reply: ${typeof reply}`);
}

function optionalText(reply: unknown): string | null {
  return reply === null || reply === undefined ? null : text(reply);
}

/** `XRANGE` replies `[[id, [field, value, ...]], ...]`; the value of the `data` field is the entry. */
function entries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) throw new TypeError("unexpected XRANGE reply");
  return reply.map((entry: unknown) => {
    if (!Array.isArray(entry) || !Array.isArray(entry[1])) throw new TypeError("unexpected XRANGE entry");
    const fields = entry[1] as unknown[];
    for (let n = 0; n + 1 < fields.length; n += 2) {
      if (text(fields[n]) === STREAM_FIELD) return { id: text(entry[0]), value: text(fields[n + 1]) };
    }
    throw new TypeError("XRANGE entry without a data field");
  });
}

const STREAM_FIELD = "data";

const ms = (value: number) => String(Math.max(1, Math.ceil(value)));

/** Builds the commands once, so both clients send byte-for-byte the same thing. */
const Commands = {
  getEx: (key: string, ttlMs: number) => ["GETEX", key, "PX", ms(ttlMs)],
  set: (key: string, value: string, ttlMs: number) => ["SET", key, value, "PX", ms(ttlMs)],
  pExpire: (key: string, ttlMs: number) => ["PEXPIRE", key, ms(ttlMs)],
  del: (key: string) => ["DEL", key],
  publish: (channel: string, message: string) => ["PUBLISH", channel, message],
  // Exact trimming (`=`), not `~`: the bound is a promise to users, and with one entry evicted per
  // append the exact form costs O(1) as well.
  xAdd: (key: string, value: string, maxLen: number) => [
    "XADD",
    key,
    "MAXLEN",
    "=",
    String(maxLen),
    "*",
    STREAM_FIELD,
    value,
  ],
  xRangeAfter: (key: string, after: string) => ["XRANGE", key, `(${after}`, "+"],
  exists: (key: string) => ["EXISTS", key],
} as const;

// ---- node-redis -----------------------------------------------------------------------------------

class NodeRedisConnection implements RedisConnection {
  readonly #client: NodeRedisClient;
  readonly #timeoutMs: number;

  constructor(client: NodeRedisClient, options: ConnectionOptions) {
    this.#client = client;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    watchErrors(client, options.onError);
  }

  #send(args: string[]): Promise<unknown> {
    return guarded(() => this.#client.sendCommand(args), this.#timeoutMs);
  }

  /**
   * node-redis refuses plain commands while offline when `disableOfflineQueue` is set, but queues
   * MULTI and (UN)SUBSCRIBE regardless; this applies the application's choice to those too.
   */
  #offline(): boolean {
    return this.#client.options?.disableOfflineQueue === true && !this.#client.isReady;
  }

  async getEx(key: string, ttlMs: number): Promise<string | null> {
    return optionalText(await this.#send(Commands.getEx(key, ttlMs)));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#send(Commands.set(key, value, ttlMs));
  }

  async pExpire(key: string, ttlMs: number): Promise<boolean> {
    return Number(await this.#send(Commands.pExpire(key, ttlMs))) === 1;
  }

  async del(key: string): Promise<void> {
    await this.#send(Commands.del(key));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#send(Commands.publish(channel, message));
  }

  async appendCapped(key: string, value: string, maxLen: number, ttlMs: number): Promise<string> {
    const replies = await guarded(async () => {
      if (this.#offline()) throw new StoreUnavailableError("session store unavailable: redis client is offline");
      return this.#client
        .multi()
        .addCommand(Commands.xAdd(key, value, maxLen))
        .addCommand(Commands.pExpire(key, ttlMs))
        .exec();
    }, this.#timeoutMs);
    if (!Array.isArray(replies)) throw new TypeError("unexpected EXEC reply");
    return text(replies[0]);
  }

  async rangeAfter(key: string, after: string): Promise<StreamEntry[] | undefined> {
    // node-redis writes every command issued in the same tick in one batch: one round trip.
    const [range, exists] = await Promise.all([
      this.#send(Commands.xRangeAfter(key, after)),
      this.#send(Commands.exists(key)),
    ]);
    return Number(exists) === 1 ? entries(range) : undefined;
  }

  readonly #listeners = new WeakMap<(message: string) => void, (message: string) => void>();

  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    // node-redis calls listeners with (message, channel); keep one wrapper per listener to remove it later.
    let wrapped = this.#listeners.get(listener);
    if (!wrapped) {
      wrapped = (message: string) => listener(message);
      this.#listeners.set(listener, wrapped);
    }
    const subscriber = wrapped;
    await guarded(async () => {
      if (this.#offline()) throw new StoreUnavailableError("session store unavailable: redis client is offline");
      await this.#client.SUBSCRIBE(channel, subscriber);
    }, this.#timeoutMs);
  }

  async unsubscribe(channel: string, listener: (message: string) => void): Promise<void> {
    const wrapped = this.#listeners.get(listener);
    if (!wrapped) return;
    await guarded(async () => {
      if (this.#offline()) throw new StoreUnavailableError("session store unavailable: redis client is offline");
      await this.#client.UNSUBSCRIBE(channel, wrapped);
    }, this.#timeoutMs);
  }

  onReady(listener: () => void): void {
    this.#client.on("ready", listener as EventListener);
  }
}

// ---- ioredis ----------------------------------------------------------------------------------------

/** ioredis batches name each command by its method name, which is lower case. */
function batch(commands: string[][]): string[][] {
  return commands.map(([command = "", ...args]) => [command.toLowerCase(), ...args]);
}

function batchReplies(reply: IoRedisBatchReply): unknown[] {
  if (!reply) throw new TypeError("the transaction was aborted");
  return reply.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

class IoRedisConnection implements RedisConnection {
  readonly #client: IoRedisClient;
  readonly #timeoutMs: number;
  /** ioredis has one 'message' event per connection; it is fanned out to channel listeners here. */
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  #listening = false;

  constructor(client: IoRedisClient, options: ConnectionOptions) {
    this.#client = client;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    watchErrors(client, options.onError);
  }

  #call(args: string[]): Promise<unknown> {
    const [command = "", ...rest] = args;
    return guarded(() => this.#client.call(command, ...rest), this.#timeoutMs);
  }

  async getEx(key: string, ttlMs: number): Promise<string | null> {
    return optionalText(await this.#call(Commands.getEx(key, ttlMs)));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#call(Commands.set(key, value, ttlMs));
  }

  async pExpire(key: string, ttlMs: number): Promise<boolean> {
    return Number(await this.#call(Commands.pExpire(key, ttlMs))) === 1;
  }

  async del(key: string): Promise<void> {
    await this.#call(Commands.del(key));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#call(Commands.publish(channel, message));
  }

  async appendCapped(key: string, value: string, maxLen: number, ttlMs: number): Promise<string> {
    const [id] = await guarded(
      async () =>
        batchReplies(
          await this.#client.multi(batch([Commands.xAdd(key, value, maxLen), Commands.pExpire(key, ttlMs)])).exec(),
        ),
      this.#timeoutMs,
    );
    return text(id);
  }

  async rangeAfter(key: string, after: string): Promise<StreamEntry[] | undefined> {
    const [range, exists] = await guarded(
      async () =>
        batchReplies(
          await this.#client.pipeline(batch([Commands.xRangeAfter(key, after), Commands.exists(key)])).exec(),
        ),
      this.#timeoutMs,
    );
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
      await guarded(() => this.#client.subscribe(channel), this.#timeoutMs);
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
    await guarded(() => this.#client.unsubscribe(channel), this.#timeoutMs);
  }

  onReady(listener: () => void): void {
    this.#client.on("ready", listener as EventListener);
  }
}

// ---- detection -----------------------------------------------------------------------------------

function isConnection(value: object): value is RedisConnection {
  const candidate = value as Partial<RedisConnection>;
  return typeof candidate.getEx === "function" && typeof candidate.appendCapped === "function";
}

function isIoRedis(value: object): value is IoRedisClient {
  const candidate = value as Partial<IoRedisClient>;
  return typeof candidate.call === "function" && typeof candidate.pipeline === "function";
}

function isNodeRedis(value: object): value is NodeRedisClient {
  const candidate = value as Partial<NodeRedisClient>;
  return typeof candidate.sendCommand === "function" && "isReady" in candidate && typeof candidate.multi === "function";
}

/** Wraps a client from the official `redis` package. It must be connected (`await client.connect()`). */
export function fromNodeRedis(client: NodeRedisClient, options: ConnectionOptions = {}): RedisConnection {
  return new NodeRedisConnection(client, options);
}

/** Wraps an `ioredis` client. */
export function fromIoRedis(client: IoRedisClient, options: ConnectionOptions = {}): RedisConnection {
  return new IoRedisConnection(client, options);
}

/** Whatever the stores accept: a node-redis or ioredis client (detected), or a ready-made connection. */
export type RedisClientInput = RedisClient | RedisConnection;

export function toRedisConnection(client: RedisClientInput, options: ConnectionOptions = {}): RedisConnection {
  if (isConnection(client)) return client;
  if (isIoRedis(client)) return fromIoRedis(client, options);
  if (isNodeRedis(client)) return fromNodeRedis(client, options);
  throw new TypeError(
    "@mcp-edge/redis: expected a client from the `redis` or `ioredis` package, or a RedisConnection (fromNodeRedis / fromIoRedis)",
  );
}
