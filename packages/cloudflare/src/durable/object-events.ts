import type { Expiry } from "./object-expiry.js";
import {
  deleteKeys,
  eventKey,
  eventPrefix,
  keySeq,
  metaKey,
  partKey,
  partPrefix,
  putEntries,
  type StreamMeta,
} from "./object-keys.js";
import type { ObjectStorage } from "./platform.js";

/** One stored event as the Worker reads it back: its number in the stream and the message's JSON text. */
export interface RangeEntry {
  seq: number;
  value: string;
}

/**
 * Longest event value stored in one row; longer ones are split over part rows. A row holds at most
 * 2 MB, and this many UTF-16 units are at most 1.5 MB of UTF-8, while a message may be as large as
 * a request body (4 MiB by default) or a tool's result.
 */
const ROW_CHARS = 512 * 1024;

/** What the event row holds for a split value: how many parts follow it. */
interface SplitValue {
  parts: number;
}

/**
 * The event logs of one session's streams: each a numbered run of messages, capped at `maxLen`
 * (oldest dropped first) and dropped whole `ttlMs` after its last event.
 */
export class EventLogs {
  readonly #storage: ObjectStorage;
  readonly #expiry: Expiry;

  constructor(storage: ObjectStorage, expiry: Expiry) {
    this.#storage = storage;
    this.#expiry = expiry;
  }

  /** Appends `value` to each stream (one row for the event and one for the stream's counter each); their numbers. */
  async append(streamIds: readonly string[], value: string, maxLen: number, ttlMs: number): Promise<number[]> {
    const now = Date.now();
    const expiresAt = now + ttlMs;
    const metas = await this.#storage.get<StreamMeta>(streamIds.map(metaKey));
    const writes: Record<string, unknown> = {};
    const drops: string[] = [];
    const seqs: number[] = [];
    for (const streamId of streamIds) {
      const key = metaKey(streamId);
      const known = (writes[key] as StreamMeta | undefined) ?? metas.get(key);
      const meta = known && known.expiresAt > now ? known : undefined;
      if (known && !meta) drops.push(...(await this.#streamKeys(streamId)));
      const seq = meta?.next ?? 1;
      const oldFirst = meta?.first ?? 1;
      let first = oldFirst;
      // Over the cap: drop the oldest (one key normally; more when the cap was lowered).
      for (; seq + 1 - first > maxLen; first++) drops.push(eventKey(streamId, first));
      if (first > oldFirst) drops.push(...(await this.#partKeys(streamId, first)));
      writes[key] = { next: seq + 1, first, expiresAt } satisfies StreamMeta;
      this.#writeValue(writes, streamId, seq, value);
      seqs.push(seq);
    }
    await deleteKeys(
      this.#storage,
      drops.filter((key) => !(key in writes)),
    );
    await putEntries(this.#storage, writes);
    await this.#expiry.before(expiresAt);
    return seqs;
  }

  /** The events after number `after`, oldest first; null when the stream does not exist (or expired). */
  async range(streamId: string, after: number): Promise<RangeEntry[] | null> {
    const meta = await this.#storage.get<StreamMeta>(metaKey(streamId));
    if (!meta) return null;
    if (meta.expiresAt <= Date.now()) {
      await this.drop(streamId);
      return null;
    }
    const from = Math.max(after + 1, meta.first);
    if (from >= meta.next) return [];
    const rows = await this.#storage.list<string | SplitValue>({
      start: eventKey(streamId, from),
      end: eventKey(streamId, meta.next),
    });
    const entries: RangeEntry[] = [];
    for (const [key, stored] of rows) {
      const seq = keySeq(key);
      if (typeof stored === "string") entries.push({ seq, value: stored });
      else {
        const parts = await this.#storage.list<string>({ prefix: partPrefix(streamId, seq) });
        entries.push({ seq, value: [...parts.values()].join("") });
      }
    }
    return entries;
  }

  /** Removes a stream and its events. */
  async drop(streamId: string): Promise<void> {
    await deleteKeys(this.#storage, [metaKey(streamId), ...(await this.#streamKeys(streamId))]);
  }

  #writeValue(writes: Record<string, unknown>, streamId: string, seq: number, value: string): void {
    if (value.length <= ROW_CHARS) {
      writes[eventKey(streamId, seq)] = value;
      return;
    }
    const parts = Math.ceil(value.length / ROW_CHARS);
    writes[eventKey(streamId, seq)] = { parts } satisfies SplitValue;
    for (let part = 0; part < parts; part++) {
      writes[partKey(streamId, seq, part)] = value.slice(part * ROW_CHARS, (part + 1) * ROW_CHARS);
    }
  }

  /** Every event and part key of a stream. */
  async #streamKeys(streamId: string): Promise<string[]> {
    const events = await this.#storage.list({ prefix: eventPrefix(streamId) });
    return [...events.keys(), ...(await this.#partKeys(streamId))];
  }

  /** The part keys of a stream's split events, those numbered below `before` when it is given. */
  async #partKeys(streamId: string, before?: number): Promise<string[]> {
    const prefix = partPrefix(streamId);
    const rows = await this.#storage.list(
      before === undefined ? { prefix } : { start: prefix, end: partPrefix(streamId, before) },
    );
    return [...rows.keys()];
  }
}
