import type { EventStore, JsonRpcMessage, ListenerEvent, StoredEvent } from "@mcp-edge/core/storage";
import { type EventStoreBounds, eventStoreBounds, parseJson } from "@mcp-edge/redis-kit";
import { eventId, parseEventId } from "./event-ids.js";
import type { DenoKv, KvEntryMaybe, KvKey } from "./kv.js";
import { DEFAULT_KV_PREFIX, type DenoKvStoreOptions } from "./options.js";
import { assemble, deleteParts, setParts } from "./parts.js";
import { KeyedQueue } from "./queue.js";
import { DEFAULT_COMMAND_TIMEOUT_MS, expireIn, guarded, untilCommitted } from "./store-error.js";

export interface DenoKvEventStoreOptions extends DenoKvStoreOptions, EventStoreBounds {}

/** A stream's head: the position of its newest event and when the stream expires. */
interface StreamHead {
  seq: number;
  expiresAt: number;
}

/** A listening stream's registration: its resource subscriptions and when it lapses. */
interface Registration {
  subscriptions: string[];
  expiresAt: number;
}

function head(entry: KvEntryMaybe): StreamHead | undefined {
  const value = entry.value as Partial<StreamHead> | null;
  if (typeof value !== "object" || value === null) return undefined;
  if (typeof value.seq !== "number" || typeof value.expiresAt !== "number") return undefined;
  return value as StreamHead;
}

function registration(entry: KvEntryMaybe, now: number): Registration | undefined {
  const value = entry.value as Partial<Registration> | null;
  if (typeof value !== "object" || value === null || typeof value.expiresAt !== "number") return undefined;
  if (!Array.isArray(value.subscriptions) || value.expiresAt <= now) return undefined;
  return value as Registration;
}

/**
 * Each resumable stream is a head entry (`[...prefix, "stream", streamId]`: its newest position and
 * expiry) and one entry per event (`[...prefix, "event", streamId, position, part]`). Appending is
 * one commit checked against the head it read: it moves the head, writes the event and deletes the
 * one that fell out of the `maxEventsPerStream` window, so the bound is exact. Every event is kept
 * `maxAgeMs` after it was written and the stream `maxAgeMs` after its last event; expiry stamps are
 * checked on read because `expireIn` is only a hint. A new stream starts at a position taken from
 * the clock, so ids from an earlier stream of the same name that expired sort before its events.
 *
 * Streams that receive broadcasts are registered at `[...prefix, "listener", streamId]` (their
 * subscriptions and expiry). A broadcast lists the registrations and appends to each target stream.
 */
export class DenoKvEventStore implements EventStore {
  readonly #kv: DenoKv;
  readonly #prefix: KvKey;
  readonly #timeoutMs: number;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;
  /** Appends to one stream from this instance run one after another instead of racing each other's commits. */
  readonly #appends = new KeyedQueue();

  constructor(options: DenoKvEventStoreOptions) {
    this.#kv = options.kv;
    this.#prefix = options.prefix ?? DEFAULT_KV_PREFIX;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    const bounds = eventStoreBounds(options);
    this.#maxEvents = bounds.maxEvents;
    this.#maxAgeMs = bounds.maxAgeMs;
  }

  startOf(streamId: string): string {
    return eventId(streamId, 0);
  }

  append(streamId: string, message: JsonRpcMessage): Promise<string> {
    const text = JSON.stringify(message);
    return this.#appends.run(streamId, () => this.#append(streamId, text));
  }

  async replayAfter(lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const { streamId, seq } = parsed;
    const entry = await this.#call(() => this.#kv.get(this.#headKey(streamId)));
    const now = Date.now();
    const current = head(entry);
    if (!current || current.expiresAt <= now || seq > current.seq) {
      // A primed stream with no events yet (or none left) is still a valid place to resume from.
      return seq === 0 ? { streamId, events: [] } : undefined;
    }
    const from = Math.max(seq + 1, current.seq - this.#maxEvents + 1);
    const base = this.#eventBase(streamId);
    const stored = await this.#call(() =>
      assemble(this.#kv.list({ start: [...base, from], end: [...base, current.seq + 1] })),
    );
    const events: StoredEvent[] = [];
    for (const event of stored) {
      if (event.exp <= now) continue;
      const message = parseJson(event.text);
      if (typeof message !== "object" || message === null || Array.isArray(message)) continue;
      events.push({ id: eventId(streamId, event.seq), message: message as JsonRpcMessage });
    }
    return { streamId, events };
  }

  async listen(streamId: string, subscriptions: readonly string[], ttlMs: number): Promise<void> {
    const ttl = Math.max(ttlMs, this.#maxAgeMs);
    const value: Registration = { subscriptions: [...subscriptions], expiresAt: Date.now() + ttl };
    await this.#call(() => this.#kv.set(this.#listenerKey(streamId), value, { expireIn: expireIn(ttl) }));
  }

  async setSubscriptions(streamId: string, subscriptions: readonly string[]): Promise<void> {
    const key = this.#listenerKey(streamId);
    await untilCommitted(async () => {
      const entry = await this.#call(() => this.#kv.get(key));
      const now = Date.now();
      const current = registration(entry, now);
      if (!current) return true; // not listening: nothing to change, nothing to create
      const value: Registration = { subscriptions: [...subscriptions], expiresAt: current.expiresAt };
      const result = await this.#call(() =>
        this.#kv
          .atomic()
          .check({ key, versionstamp: entry.versionstamp })
          .set(key, value, { expireIn: expireIn(current.expiresAt - now) })
          .commit(),
      );
      return result.ok ? true : undefined;
    });
  }

  async unlisten(streamId: string): Promise<void> {
    await this.#call(() => this.#kv.delete(this.#listenerKey(streamId)));
  }

  async appendToListeners(message: JsonRpcMessage, uri?: string): Promise<ListenerEvent[]> {
    const base = [...this.#prefix, "listener"];
    const targets = await this.#call(async () => {
      const found: string[] = [];
      const now = Date.now();
      for await (const entry of this.#kv.list({ prefix: base })) {
        const streamId = entry.key[base.length];
        const current = registration(entry, now);
        if (typeof streamId !== "string" || !current) continue;
        if (uri === undefined || current.subscriptions.includes(uri)) found.push(streamId);
      }
      return found;
    });
    if (targets.length === 0) return [];
    const text = JSON.stringify(message);
    const ids = await Promise.all(
      targets.map((streamId) => this.#appends.run(streamId, () => this.#append(streamId, text))),
    );
    return targets.map((streamId, n) => ({ streamId, eventId: ids[n] ?? "" }));
  }

  /** One checked commit: the head moves, the event is written, the one that left the window is deleted. */
  #append(streamId: string, text: string): Promise<string> {
    const headKey = this.#headKey(streamId);
    const base = this.#eventBase(streamId);
    return untilCommitted(async () => {
      const entry = await this.#call(() => this.#kv.get(headKey));
      const now = Date.now();
      const current = head(entry);
      const seq = current ? current.seq + 1 : Math.max(1, now * 1000);
      const expiresAt = now + this.#maxAgeMs;
      const ttl = expireIn(this.#maxAgeMs);
      const atomic = this.#kv.atomic().check({ key: headKey, versionstamp: entry.versionstamp });
      atomic.set(headKey, { seq, expiresAt } satisfies StreamHead, { expireIn: ttl });
      setParts(atomic, [...base, seq], text, expiresAt, ttl);
      if (current) deleteParts(atomic, [...base, seq - this.#maxEvents]);
      const result = await this.#call(() => atomic.commit());
      return result.ok ? eventId(streamId, seq) : undefined;
    });
  }

  #call<T>(operation: () => Promise<T>): Promise<T> {
    return guarded(operation, this.#timeoutMs);
  }

  #headKey(streamId: string): KvKey {
    return [...this.#prefix, "stream", streamId];
  }

  #eventBase(streamId: string): KvKey {
    return [...this.#prefix, "event", streamId];
  }

  #listenerKey(streamId: string): KvKey {
    return [...this.#prefix, "listener", streamId];
  }
}
