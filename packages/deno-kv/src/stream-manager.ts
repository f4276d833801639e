import type { StreamManager, Unsubscribe } from "@mcp-edge/core/storage";
import { type Channel, ChannelRegistry } from "@mcp-edge/redis-kit";
import type { DenoKv, KvEntryMaybe, KvKey } from "./kv.js";
import { DEFAULT_KV_PREFIX, type DenoKvStoreOptions } from "./options.js";
import { assemble, deleteParts, setParts } from "./parts.js";
import { KeyedQueue } from "./queue.js";
import { SHARDS, shardOf } from "./shards.js";
import { DEFAULT_COMMAND_TIMEOUT_MS, expireIn, guarded, untilCommitted } from "./store-error.js";
import { PulseWatcher } from "./watcher.js";

export interface DenoKvStreamManagerOptions extends DenoKvStoreOptions {
  /** How long a published message stays readable for subscribers that have not fetched it yet. Default 60000 ms. */
  retentionMs?: number;
  /** Messages kept per channel for subscribers to fetch; the oldest go first. Default 1000. */
  maxMessagesPerChannel?: number;
  /**
   * How often the pulse keys are also read, besides `kv.watch` (default 1000 ms; 0: watch only).
   * Needed wherever a watch does not see other processes' writes: local file-backed databases.
   */
  pollIntervalMs?: number;
  /** Receives failures of the background watch and fetches (they are retried by themselves). Default: `console.warn`, once per outage. */
  onError?: (error: unknown) => void;
}

/** A channel's head: its generation (a new one whenever the channel was gone) and newest position. */
interface ChannelHead {
  g: string;
  seq: number;
}

/** What this instance knows of a channel it listens to. */
interface Listening {
  active: boolean;
  /** Counts activations, so a fetch begun before the channel was left and joined again delivers nothing. */
  activation: number;
  /** The generation and position of the last message handed to the handlers. */
  generation: string | undefined;
  seq: number;
  /** A fetch failed: try again on the next poll even if no pulse moved. */
  stale: boolean;
}

function channelHead(entry: KvEntryMaybe): ChannelHead | undefined {
  const value = entry.value as Partial<ChannelHead> | null;
  if (typeof value !== "object" || value === null) return undefined;
  if (typeof value.g !== "string" || typeof value.seq !== "number") return undefined;
  return value as ChannelHead;
}

/**
 * Cross-isolate and cross-process delivery over one Deno KV database, which has no pub/sub.
 *
 * Each channel is a short log: a head (`[...prefix, "channel", name]`) and its messages
 * (`[...prefix, "message", name, position, part]`), kept `retentionMs` and at most
 * `maxMessagesPerChannel`. Publishing is one commit checked against the head it read, which also
 * adds 1 to the channel's pulse key (`[...prefix, "pulse", shard]`, one of ten, chosen by a hash of
 * the channel name). A `sum` never conflicts, so publishers to different channels never retry.
 *
 * An instance watches the ten pulse keys in one `kv.watch` call (the API takes at most ten keys),
 * however many channels it listens to, and reads them every `pollIntervalMs` as well. When a pulse
 * moves, it reads the heads of its channels in that shard and fetches what came after the last
 * message it handed out, in order. A subscriber thus receives every message published after it
 * subscribed, as long as it fetches within the retention; messages published while nobody here
 * listened are never delivered here (pub/sub semantics: no replay, the event store does that).
 */
export class DenoKvStreamManager implements StreamManager {
  readonly #kv: DenoKv;
  readonly #prefix: KvKey;
  readonly #timeoutMs: number;
  readonly #retentionMs: number;
  readonly #maxMessages: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #channels: ChannelRegistry<Listening>;
  readonly #active = new Map<string, Channel<Listening>>();
  readonly #publishes = new KeyedQueue();
  readonly #fetches = new KeyedQueue();
  readonly #pending = new Set<string>();
  readonly #watcher: PulseWatcher;
  #reported = false;
  #closed = false;

  constructor(options: DenoKvStreamManagerOptions) {
    this.#kv = options.kv;
    this.#prefix = options.prefix ?? DEFAULT_KV_PREFIX;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#retentionMs = options.retentionMs ?? 60_000;
    this.#maxMessages = options.maxMessagesPerChannel ?? 1000;
    if (!(this.#retentionMs > 0)) throw new RangeError("retentionMs must be positive");
    if (!(this.#maxMessages >= 1)) throw new RangeError("maxMessagesPerChannel must be at least 1");
    this.#onError = options.onError;
    this.#channels = new ChannelRegistry<Listening>({
      create: () => ({ active: false, activation: 0, generation: undefined, seq: 0, stale: false }),
      sync: (channel) => this.#sync(channel),
      idle: (channel) => !channel.link.active,
    });
    this.#watcher = new PulseWatcher({
      kv: this.#kv,
      keys: Array.from({ length: SHARDS }, (_, shard) => this.#pulseKey(shard)),
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      timeoutMs: this.#timeoutMs,
      onPulse: (shards) => this.#onPulse(shards),
      onPoll: () => this.#retryStale(),
      onError: (error) => this.#report(error),
    });
  }

  async publish(channel: string, message: string): Promise<void> {
    const headKey = this.#headKey(channel);
    const base = this.#messageBase(channel);
    const pulse = this.#pulseKey(shardOf(channel));
    await this.#publishes.run(channel, () =>
      untilCommitted(async () => {
        const entry = await this.#call(() => this.#kv.get(headKey));
        const current = channelHead(entry);
        const next: ChannelHead = current ? { g: current.g, seq: current.seq + 1 } : { g: crypto.randomUUID(), seq: 1 };
        const ttl = expireIn(this.#retentionMs);
        const atomic = this.#kv.atomic().check({ key: headKey, versionstamp: entry.versionstamp });
        atomic.set(headKey, next, { expireIn: ttl });
        setParts(atomic, [...base, next.seq], message, Date.now() + this.#retentionMs, ttl, next.g);
        if (next.seq > this.#maxMessages) deleteParts(atomic, [...base, next.seq - this.#maxMessages]);
        atomic.sum(pulse, 1n);
        const result = await this.#call(() => atomic.commit());
        return result.ok ? true : undefined;
      }),
    );
  }

  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    if (this.#closed) return Promise.reject(new TypeError("@mcp-edge/deno-kv: this stream manager is closed"));
    return this.#channels.subscribe(channel, handler);
  }

  /** Stops watching and drops every subscription of this instance. The KV handle stays open: it is the caller's. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#channels.close();
    await this.#watcher.stop();
  }

  /** Channels this instance holds (tests prove nothing leaks). */
  get channelCount(): number {
    return this.#channels.size;
  }

  /**
   * Listening starts at the channel's current head, so only what is published afterwards is
   * delivered; it stops when the last local handler leaves.
   */
  async #sync(channel: Channel<Listening>): Promise<void> {
    const link = channel.link;
    if (channel.handlers.size > 0 && !link.active) {
      const current = channelHead(await this.#call(() => this.#kv.get(this.#headKey(channel.name))));
      link.generation = current?.g;
      link.seq = current?.seq ?? 0;
      link.stale = false;
      link.activation++;
      link.active = true;
      this.#active.set(channel.name, channel);
      this.#watcher.start();
    } else if (channel.handlers.size === 0 && link.active) {
      link.active = false;
      this.#active.delete(channel.name);
      if (this.#active.size === 0) await this.#watcher.stop();
    }
  }

  #onPulse(shards: ReadonlySet<number>): void {
    for (const channel of this.#active.values()) {
      if (shards.has(shardOf(channel.name))) this.#fetch(channel);
    }
  }

  #retryStale(): void {
    for (const channel of this.#active.values()) if (channel.link.stale) this.#fetch(channel);
  }

  /** Fetches what is new on a channel; fetches of one channel never overlap, and one more runs if asked meanwhile. */
  #fetch(channel: Channel<Listening>): void {
    if (this.#pending.has(channel.name)) return;
    this.#pending.add(channel.name);
    void this.#fetches.run(channel.name, async () => {
      this.#pending.delete(channel.name);
      try {
        await this.#fetchNew(channel);
        channel.link.stale = false;
        this.#reported = false;
      } catch (error) {
        channel.link.stale = true;
        this.#report(error);
      }
    });
  }

  async #fetchNew(channel: Channel<Listening>): Promise<void> {
    const link = channel.link;
    if (!link.active) return;
    const activation = link.activation;
    const current = channelHead(await this.#call(() => this.#kv.get(this.#headKey(channel.name))));
    if (!current) return;
    // A new generation began after this instance started listening: all of it is new here.
    const after = current.g === link.generation ? link.seq : 0;
    if (current.seq <= after) return;
    const from = Math.max(after + 1, current.seq - this.#maxMessages + 1);
    const base = this.#messageBase(channel.name);
    const messages = await this.#call(() =>
      assemble(this.#kv.list({ start: [...base, from], end: [...base, current.seq + 1] })),
    );
    if (!link.active || link.activation !== activation) return;
    link.generation = current.g;
    link.seq = current.seq;
    for (const message of messages) if (message.generation === current.g) channel.deliver(message.text);
  }

  #report(error: unknown): void {
    if (this.#onError) {
      this.#onError(error);
      return;
    }
    if (this.#reported || this.#closed) return;
    this.#reported = true;
    const detail = error instanceof Error ? error.message : String(error);
    console.warn(
      `[@mcp-edge/deno-kv] stream manager: ${detail} (retried by itself; further errors are silent until it recovers)`,
    );
  }

  #call<T>(operation: () => Promise<T>): Promise<T> {
    return guarded(operation, this.#timeoutMs);
  }

  #headKey(channel: string): KvKey {
    return [...this.#prefix, "channel", channel];
  }

  #messageBase(channel: string): KvKey {
    return [...this.#prefix, "message", channel];
  }

  #pulseKey(shard: number): KvKey {
    return [...this.#prefix, "pulse", shard];
  }
}
