import { Defaults, type EventStore, type JsonRpcMessage, type ListenerEvent, type StoredEvent } from "@mcp-edge/core";
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_PREFIX,
  fromJson,
  guarded,
  ms,
  type UpstashClient,
  type UpstashStoreOptions,
} from "./client.js";

export interface UpstashEventStoreOptions extends UpstashStoreOptions {
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
const FIELD = "data";

function parseEventId(eventId: string): { streamId: string; entryId: string } | undefined {
  const at = eventId.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const entryId = eventId.slice(at + 1);
  const match = ENTRY_ID.exec(entryId);
  if (!match) return undefined;
  const high = BigInt(match[1] ?? "");
  const low = BigInt(match[2] ?? "");
  // Redis rejects ids past 64 bits, and nothing can follow the largest one; a client's
  // Last-Event-ID must never turn into a server error.
  if (high > U64_MAX || low > U64_MAX || (high === U64_MAX && low === U64_MAX)) return undefined;
  return { streamId: eventId.slice(0, at), entryId };
}

/**
 * Each resumable stream is a Redis stream (`<prefix>events:<streamId>`), capped at
 * `maxEventsPerStream` entries and expiring `maxAgeMs` after its last event. The key layout and
 * event ids are those of `@mcp-edge/redis`. Appending and replaying cost one HTTP round trip each.
 *
 * Streams that receive broadcasts are kept as `@mcp-edge/redis` keeps them: the sorted set
 * `<prefix>listeners` scored by expiry, and each one's subscriptions in `<prefix>listener:<streamId>`.
 * A broadcast costs one round trip to read the set, one more (`MGET`) for a resource update, and one
 * transaction that appends to every target stream.
 */
export class UpstashEventStore implements EventStore {
  readonly #redis: UpstashClient;
  readonly #prefix: string;
  readonly #listeners: string;
  readonly #listenerPrefix: string;
  readonly #timeoutMs: number;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;

  constructor(options: UpstashEventStoreOptions) {
    this.#redis = options.client;
    const prefix = options.prefix ?? DEFAULT_PREFIX;
    this.#prefix = `${prefix}events:`;
    this.#listeners = `${prefix}listeners`;
    this.#listenerPrefix = `${prefix}listener:`;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#maxEvents = options.maxEventsPerStream ?? Defaults.eventStoreMaxEvents;
    this.#maxAgeMs = options.maxAgeMs ?? Defaults.eventStoreMaxAgeMs;
    if (!(this.#maxEvents >= 1)) throw new RangeError("maxEventsPerStream must be at least 1");
    if (!(this.#maxAgeMs > 0)) throw new RangeError("maxAgeMs must be positive");
  }

  startOf(streamId: string): string {
    return `${streamId}${SEPARATOR}${START}`;
  }

  /**
   * `XADD key MAXLEN = n * data json` and `PEXPIRE key maxAge` as one transaction (`/multi-exec`),
   * so no stream is ever left without an expiry: one round trip. Exact trimming (`=`), not `~`: the
   * bound is a promise to users, and with one entry evicted per append it costs O(1) as well.
   */
  async append(streamId: string, message: JsonRpcMessage): Promise<string> {
    const key = this.#prefix + streamId;
    const json = JSON.stringify(message);
    const [entryId] = await guarded(
      () =>
        this.#redis
          .multi()
          .xadd(key, "*", { [FIELD]: json }, { trim: { type: "MAXLEN", comparison: "=", threshold: this.#maxEvents } })
          .pexpire(key, ms(this.#maxAgeMs))
          .exec(),
      this.#timeoutMs,
    );
    if (typeof entryId !== "string") throw new TypeError("unexpected XADD reply from upstash");
    return `${streamId}${SEPARATOR}${entryId}`;
  }

  /** `ZREMRANGEBYSCORE` (expired members), `ZADD` and `SET ... PX` as one transaction: one round trip. */
  async listen(streamId: string, subscriptions: readonly string[], ttlMs: number): Promise<void> {
    const now = Date.now();
    const ttl = ms(Math.max(ttlMs, this.#maxAgeMs));
    const json = JSON.stringify(subscriptions);
    await guarded(
      () =>
        this.#redis
          .multi()
          .zremrangebyscore(this.#listeners, "-inf", now)
          .zadd(this.#listeners, { score: now + ttl, member: streamId })
          .set(this.#listenerPrefix + streamId, json, { px: ttl })
          .exec(),
      this.#timeoutMs,
    );
  }

  /** `SET key json XX KEEPTTL`: one round trip, and nothing is created for a stream that is not listening. */
  async setSubscriptions(streamId: string, subscriptions: readonly string[]): Promise<void> {
    const json = JSON.stringify(subscriptions);
    await guarded(
      () =>
        this.#redis
          .pipeline()
          .set(this.#listenerPrefix + streamId, json, { xx: true, keepTtl: true })
          .exec(),
      this.#timeoutMs,
    );
  }

  /** `ZREM` and `DEL` as one transaction: one round trip. */
  async unlisten(streamId: string): Promise<void> {
    await guarded(
      () =>
        this.#redis
          .multi()
          .zrem(this.#listeners, streamId)
          .del(this.#listenerPrefix + streamId)
          .exec(),
      this.#timeoutMs,
    );
  }

  async appendToListeners(message: JsonRpcMessage, uri?: string): Promise<ListenerEvent[]> {
    const [, members] = await guarded(
      () =>
        this.#redis
          .pipeline()
          .zremrangebyscore(this.#listeners, "-inf", Date.now())
          .zrange<unknown[]>(this.#listeners, 0, -1)
          .exec(),
      this.#timeoutMs,
    );
    let targets = Array.isArray(members) ? members.map(String) : [];
    if (targets.length === 0) return [];
    if (uri !== undefined) {
      const keys = targets.map((streamId) => this.#listenerPrefix + streamId);
      const [lists] = await guarded(
        () =>
          this.#redis
            .pipeline()
            .mget<unknown[]>(...keys)
            .exec(),
        this.#timeoutMs,
      );
      const found = Array.isArray(lists) ? lists : [];
      targets = targets.filter((_, n) => {
        const list = fromJson(found[n]);
        return Array.isArray(list) && list.includes(uri);
      });
      if (targets.length === 0) return [];
    }
    const json = JSON.stringify(message);
    const trim = { trim: { type: "MAXLEN", comparison: "=", threshold: this.#maxEvents } } as const;
    const transaction = this.#redis.multi();
    for (const streamId of targets) {
      const key = this.#prefix + streamId;
      transaction.xadd(key, "*", { [FIELD]: json }, trim).pexpire(key, ms(this.#maxAgeMs));
    }
    const replies = await guarded(() => transaction.exec(), this.#timeoutMs);
    return targets.map((streamId, n) => {
      const entryId = replies[2 * n];
      if (typeof entryId !== "string") throw new TypeError("unexpected XADD reply from upstash");
      return { streamId, eventId: `${streamId}${SEPARATOR}${entryId}` };
    });
  }

  /** `XRANGE key (id +` and `EXISTS key` as one pipeline (`/pipeline`): one round trip. */
  async replayAfter(lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const { streamId, entryId } = parsed;
    const key = this.#prefix + streamId;
    const [range, exists] = await guarded(
      () => this.#redis.pipeline().xrange(key, `(${entryId}`, "+").exists(key).exec(),
      this.#timeoutMs,
    );
    if (Number(exists) !== 1) {
      // A primed stream with no events yet (or none left) is still a valid place to resume from.
      return entryId === START ? { streamId, events: [] } : undefined;
    }
    const events = entries(range).map((entry) => ({
      id: `${streamId}${SEPARATOR}${entry.id}`,
      message: entry.message,
    }));
    return { streamId, events };
  }
}

/**
 * XRANGE as the client hands it back: with `automaticDeserialization: false` the raw reply
 * `[[id, [field, value, ...]], ...]`; by default an object `{ [id]: { [field]: parsed value } }`
 * (in insertion order: entry ids are not array indices, so JavaScript keeps their order). Entries
 * whose data is not a JSON object were not written by this store and are skipped.
 */
function entries(reply: unknown): { id: string; message: JsonRpcMessage }[] {
  const found: { id: string; message: JsonRpcMessage }[] = [];
  const add = (id: unknown, value: unknown) => {
    const message = fromJson(value);
    if (typeof id === "string" && typeof message === "object" && message !== null && !Array.isArray(message)) {
      found.push({ id, message: message as JsonRpcMessage });
    }
  };
  if (Array.isArray(reply)) {
    for (const entry of reply as unknown[]) {
      if (!Array.isArray(entry) || !Array.isArray(entry[1])) continue;
      const fields = entry[1] as unknown[];
      for (let n = 0; n + 1 < fields.length; n += 2) {
        if (fields[n] === FIELD) add(entry[0], fields[n + 1]);
      }
    }
  } else if (typeof reply === "object" && reply !== null) {
    for (const [id, fields] of Object.entries(reply)) {
      if (typeof fields === "object" && fields !== null) add(id, (fields as Record<string, unknown>)[FIELD]);
    }
  }
  return found;
}
