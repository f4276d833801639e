import type { EventStore, JsonRpcMessage, ListenerEvent, StoredEvent } from "@mcp-edge/core/storage";
import { eventId, parseEventId, START_ENTRY } from "./event-ids.js";
import { type EventStoreBounds, eventStoreBounds, type KeyLayout, keyLayout } from "./layout.js";
import { parseJson } from "./session-record.js";

/** One entry of a stream as the event store reads it back. */
export interface LogEntry {
  id: string;
  message: JsonRpcMessage;
}

/**
 * The Redis operations an event store needs, each one round trip (a transaction or a pipeline
 * where it says so). Every method rejects with `StoreUnavailableError` when the backend cannot be
 * reached. A backend implements these in its client's dialect; the store's logic is written once.
 */
export interface EventLog {
  /** `MULTI; XADD key MAXLEN = maxLen * data value; PEXPIRE key ttl; EXEC`: the new entry's id. */
  append(key: string, value: string, maxLen: number, ttlMs: number): Promise<string>;
  /**
   * The same for several streams, in one round trip: their new entry ids, in order. Each stream's
   * append and expiry are atomic; the streams need not be one transaction together.
   */
  appendAll(keys: readonly string[], value: string, maxLen: number, ttlMs: number): Promise<string[]>;
  /** `XRANGE key (after +` pipelined with `EXISTS key`: the entries, or undefined when the stream does not exist. */
  rangeAfter(key: string, after: string): Promise<LogEntry[] | undefined>;
  /** `MULTI; ZREMRANGEBYSCORE set -inf now; ZADD set now+ttl member; SET key value PX ttl; EXEC`. */
  register(set: string, member: string, key: string, value: string, now: number, ttlMs: number): Promise<void>;
  /** `SET key value XX KEEPTTL`: replaces a value that exists, keeping its expiry. */
  replace(key: string, value: string): Promise<void>;
  /** `MULTI; ZREM set member; DEL key; EXEC`. */
  unregister(set: string, member: string, key: string): Promise<void>;
  /** `ZREMRANGEBYSCORE set -inf now` pipelined with `ZRANGE set 0 -1`: the members still registered. */
  members(set: string, now: number): Promise<string[]>;
  /** `MGET keys`: each value as text (or as the client parsed it), null where there is none. */
  getAll(keys: readonly string[]): Promise<unknown[]>;
}

/**
 * Each resumable stream is a Redis stream (`<prefix>events:<streamId>`), capped at
 * `maxEventsPerStream` entries and expiring `maxAgeMs` after its last event. Appending and
 * replaying cost one round trip each.
 *
 * Streams that receive broadcasts are members of the sorted set `<prefix>listeners`, scored by
 * when their registration expires, and their resource subscriptions are `<prefix>listener:<streamId>`
 * (a JSON array, expiring at the same time). A broadcast reads the set (one round trip; expired
 * members are dropped in the same pipeline), for a resource update reads the subscriptions of its
 * members (one `MGET`), and appends to every target stream in one round trip.
 */
export class LogEventStore implements EventStore {
  readonly #log: EventLog;
  readonly #keys: KeyLayout;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;

  constructor(log: EventLog, options: EventStoreBounds & { prefix?: string }) {
    this.#log = log;
    this.#keys = keyLayout(options.prefix);
    const bounds = eventStoreBounds(options);
    this.#maxEvents = bounds.maxEvents;
    this.#maxAgeMs = bounds.maxAgeMs;
  }

  startOf(streamId: string): string {
    return eventId(streamId, START_ENTRY);
  }

  /** `MULTI; XADD key MAXLEN = n * data json; PEXPIRE key maxAge; EXEC`: one round trip. */
  async append(streamId: string, message: JsonRpcMessage): Promise<string> {
    const json = JSON.stringify(message);
    const entryId = await this.#log.append(this.#keys.events + streamId, json, this.#maxEvents, this.#maxAgeMs);
    return eventId(streamId, entryId);
  }

  /** `ZREMRANGEBYSCORE` (expired members), `ZADD` and `SET ... PX` in one transaction: one round trip. */
  async listen(streamId: string, subscriptions: readonly string[], ttlMs: number): Promise<void> {
    const ttl = Math.max(ttlMs, this.#maxAgeMs);
    const json = JSON.stringify(subscriptions);
    await this.#log.register(this.#keys.listeners, streamId, this.#keys.listener + streamId, json, Date.now(), ttl);
  }

  /** `SET key json XX KEEPTTL`: one round trip, and nothing is created for a stream that is not listening. */
  async setSubscriptions(streamId: string, subscriptions: readonly string[]): Promise<void> {
    await this.#log.replace(this.#keys.listener + streamId, JSON.stringify(subscriptions));
  }

  /** `ZREM` and `DEL` in one transaction: one round trip. */
  async unlisten(streamId: string): Promise<void> {
    await this.#log.unregister(this.#keys.listeners, streamId, this.#keys.listener + streamId);
  }

  async appendToListeners(message: JsonRpcMessage, uri?: string): Promise<ListenerEvent[]> {
    let targets = await this.#log.members(this.#keys.listeners, Date.now());
    if (targets.length === 0) return [];
    if (uri !== undefined) {
      const lists = await this.#log.getAll(targets.map((streamId) => this.#keys.listener + streamId));
      targets = targets.filter((_, n) => subscribedTo(lists[n], uri));
      if (targets.length === 0) return [];
    }
    const keys = targets.map((streamId) => this.#keys.events + streamId);
    const entryIds = await this.#log.appendAll(keys, JSON.stringify(message), this.#maxEvents, this.#maxAgeMs);
    return targets.map((streamId, n) => ({ streamId, eventId: eventId(streamId, entryIds[n] ?? "") }));
  }

  /** `XRANGE key (id +` and `EXISTS key`, pipelined: one round trip. */
  async replayAfter(lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const { streamId, entryId } = parsed;
    const entries = await this.#log.rangeAfter(this.#keys.events + streamId, entryId);
    if (!entries) {
      // A primed stream with no events yet (or none left) is still a valid place to resume from.
      return entryId === START_ENTRY ? { streamId, events: [] } : undefined;
    }
    const events = entries.map((entry) => ({ id: eventId(streamId, entry.id), message: entry.message }));
    return { streamId, events };
  }
}

/** Whether a stored subscription list (a JSON array of URIs, or nil once expired) holds `uri`. */
function subscribedTo(stored: unknown, uri: string): boolean {
  const list = typeof stored === "string" ? parseJson(stored) : stored;
  return Array.isArray(list) && list.includes(uri);
}
