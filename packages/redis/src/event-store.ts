import { Defaults, type EventStore, type JsonRpcMessage, type StoredEvent } from "@mcp-edge/core";
import { type RedisConnection, toRedisConnection } from "./connection.js";
import { DEFAULT_PREFIX, type RedisStoreOptions } from "./options.js";

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
 */
export class RedisEventStore implements EventStore {
  readonly #redis: RedisConnection;
  readonly #prefix: string;
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;

  constructor(options: RedisEventStoreOptions) {
    this.#redis = toRedisConnection(options.client, options);
    this.#prefix = `${options.prefix ?? DEFAULT_PREFIX}events:`;
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
