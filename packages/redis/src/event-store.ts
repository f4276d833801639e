import { Defaults, type EventStore, type JsonRpcMessage, type ListenerEvent, type StoredEvent } from "@mcp-edge/core";
import { Commands } from "./commands.js";
import { type RedisConnection, toRedisConnection } from "./connection.js";
import { DEFAULT_PREFIX, type RedisStoreOptions } from "./options.js";
import { optionalText, text } from "./replies.js";

export interface RedisEventStoreOptions extends RedisStoreOptions {
  /** Events kept per stream; the oldest are dropped first. Default: the core's (1000). */
  maxEventsPerStream?: number;
  /** A stream with no new event for this long is dropped whole. Default: the core's (5 minutes). */
  maxAgeMs?: number;
}

/** Event ids are `<streamId>_<redis stream entry id>`: the stream is recoverable from the id. */
const SEPARATOR = "_";
const START = "0-0";
const ENTRY_ID = /^(\d{1,20})-(\d{1,20})$/;
const U64_MAX = 18_446_744_073_709_551_615n;

function parseEventId(eventId: string): { streamId: string; entryId: string } | undefined {
  const at = eventId.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const entryId = eventId.slice(at + 1);
  const match = ENTRY_ID.exec(entryId);
  if (!match) return undefined;
  const ms = BigInt(match[1] ?? "");
  const seq = BigInt(match[2] ?? "");
  // Redis rejects ids past 64 bits, and nothing can follow the largest one; a client's
  // Last-Event-ID must never turn into a server error.
  if (ms > U64_MAX || seq > U64_MAX || (ms === U64_MAX && seq === U64_MAX)) return undefined;
  return { streamId: eventId.slice(0, at), entryId };
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
 * members (one `MGET`), and appends to every target stream in one transaction (one round trip).
 */
export class RedisEventStore implements EventStore {
  readonly #redis: RedisConnection;
  readonly #prefix: string;
  readonly #listeners: string;
  readonly #listenerPrefix: string;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;

  constructor(options: RedisEventStoreOptions) {
    this.#redis = toRedisConnection(options.client, options);
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#prefix = `${prefix}events:`;
    this.#listeners = `${prefix}listeners`;
    this.#listenerPrefix = `${prefix}listener:`;
    this.#maxEvents = options.maxEventsPerStream ?? Defaults.eventStoreMaxEvents;
    this.#maxAgeMs = options.maxAgeMs ?? Defaults.eventStoreMaxAgeMs;
    if (!(this.#maxEvents >= 1)) throw new RangeError("maxEventsPerStream must be at least 1");
    if (!(this.#maxAgeMs > 0)) throw new RangeError("maxAgeMs must be positive");
  }

  startOf(streamId: string): string {
    return `${streamId}${SEPARATOR}${START}`;
  }

  /** `MULTI; XADD key MAXLEN = n * data json; PEXPIRE key maxAge; EXEC`: one round trip. */
  async append(streamId: string, message: JsonRpcMessage): Promise<string> {
    const entryId = await this.#redis.appendCapped(
      this.#prefix + streamId,
      JSON.stringify(message),
      this.#maxEvents,
      this.#maxAgeMs,
    );
    return `${streamId}${SEPARATOR}${entryId}`;
  }

  /** `ZADD`, `SET ... PX` and `ZREMRANGEBYSCORE` (expired members) in one transaction: one round trip. */
  async listen(streamId: string, subscriptions: readonly string[], ttlMs: number): Promise<void> {
    const now = Date.now();
    const ttl = Math.max(ttlMs, this.#maxAgeMs);
    await this.#redis.batch("multi", [
      Commands.zRemExpired(this.#listeners, now),
      Commands.zAdd(this.#listeners, now + ttl, streamId),
      Commands.set(this.#listenerPrefix + streamId, JSON.stringify(subscriptions), ttl),
    ]);
  }

  /** `SET key json XX KEEPTTL`: one round trip, and nothing is created for a stream that is not listening. */
  async setSubscriptions(streamId: string, subscriptions: readonly string[]): Promise<void> {
    await this.#redis.batch("pipeline", [
      Commands.replace(this.#listenerPrefix + streamId, JSON.stringify(subscriptions)),
    ]);
  }

  /** `ZREM` and `DEL` in one transaction: one round trip. */
  async unlisten(streamId: string): Promise<void> {
    await this.#redis.batch("multi", [
      Commands.zRem(this.#listeners, streamId),
      Commands.del(this.#listenerPrefix + streamId),
    ]);
  }

  async appendToListeners(message: JsonRpcMessage, uri?: string): Promise<ListenerEvent[]> {
    const [, members] = await this.#redis.batch("pipeline", [
      Commands.zRemExpired(this.#listeners, Date.now()),
      Commands.zAll(this.#listeners),
    ]);
    let targets = Array.isArray(members) ? members.map(text) : [];
    if (targets.length === 0) return [];
    if (uri !== undefined) {
      const [subscriptions] = await this.#redis.batch("pipeline", [
        Commands.mGet(targets.map((streamId) => this.#listenerPrefix + streamId)),
      ]);
      const lists = Array.isArray(subscriptions) ? subscriptions : [];
      targets = targets.filter((_, n) => subscribedTo(lists[n], uri));
      if (targets.length === 0) return [];
    }
    const json = JSON.stringify(message);
    const commands: string[][] = [];
    for (const streamId of targets) {
      const key = this.#prefix + streamId;
      commands.push(Commands.xAdd(key, json, this.#maxEvents), Commands.pExpire(key, this.#maxAgeMs));
    }
    const replies = await this.#redis.batch("multi", commands);
    return targets.map((streamId, n) => ({ streamId, eventId: `${streamId}${SEPARATOR}${text(replies[2 * n])}` }));
  }

  /** `XRANGE key (id +` and `EXISTS key`, pipelined: one round trip. */
  async replayAfter(lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const { streamId, entryId } = parsed;
    const entries = await this.#redis.rangeAfter(this.#prefix + streamId, entryId);
    if (!entries) {
      // A primed stream with no events yet (or none left) is still a valid place to resume from.
      return entryId === START ? { streamId, events: [] } : undefined;
    }
    const events = entries.map((entry) => ({
      id: `${streamId}${SEPARATOR}${entry.id}`,
      message: JSON.parse(entry.value) as JsonRpcMessage,
    }));
    return { streamId, events };
  }
}

/** Whether a stored subscription list (a JSON array of URIs, or nil once expired) holds `uri`. */
function subscribedTo(reply: unknown, uri: string): boolean {
  const raw = optionalText(reply);
  if (raw === null) return false;
  try {
    const list: unknown = JSON.parse(raw);
    return Array.isArray(list) && list.includes(uri);
  } catch {
    return false;
  }
}
