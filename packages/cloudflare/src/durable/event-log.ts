import type { JsonRpcMessage } from "@mcp-edge/core/storage";
import { type EventLog, keyLayout, type LogEntry } from "@mcp-edge/redis-kit";
import type { ObjectClient } from "./call.js";
import type { RangeEntry } from "./object-events.js";
import { Op, REGISTRY, streamOwner } from "./routing.js";

/** Streams per append request: two rows each, within the 128 entries one storage call takes. */
const STREAMS_PER_CALL = 50;

/** Entry ids in the kit's `<n>-<n>` form; the first number is always 0, the second counts events from 1. */
const entryId = (seq: number) => `0-${seq}`;
/** The event number of an entry id, or undefined for one this log never gave out. */
function entrySeq(id: string): number | undefined {
  const [first, second = ""] = id.split("-");
  const seq = Number(second);
  return first === "0" && Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * The event store's log operations over objects: a stream's events are kept by its session's object,
 * the broadcast registry by one registry object.
 */
export function objectEventLog(client: ObjectClient, prefix?: string): EventLog {
  const keys = keyLayout(prefix);
  const streamOf = (key: string) => key.slice(keys.events.length);
  const listenerOf = (key: string) => key.slice(keys.listener.length);

  const appendTo = async (owner: string, streams: string[], value: string, maxLen: number, ttl: number) => {
    const seqs: number[] = [];
    for (let at = 0; at < streams.length; at += STREAMS_PER_CALL) {
      const batch = streams.slice(at, at + STREAMS_PER_CALL);
      seqs.push(...(await client.call<number[]>(owner, Op.appendAll, { streams: batch, value, maxLen, ttl })));
    }
    return seqs;
  };

  const registered = new Registrations();

  return {
    async append(key, value, maxLen, ttl) {
      const stream = streamOf(key);
      const [seq] = await client.call<number[]>(streamOwner(stream), Op.append, {
        streams: [stream],
        value,
        maxLen,
        ttl,
      });
      return entryId(seq ?? 0);
    },
    async appendAll(streamKeys, value, maxLen, ttl) {
      // One request per object, all objects at once.
      const byOwner = new Map<string, string[]>();
      for (const key of streamKeys) {
        const stream = streamOf(key);
        const owner = streamOwner(stream);
        byOwner.set(owner, [...(byOwner.get(owner) ?? []), stream]);
      }
      const ids = new Map<string, string>();
      await Promise.all(
        [...byOwner].map(async ([owner, streams]) => {
          const seqs = await appendTo(owner, streams, value, maxLen, ttl);
          for (const [n, stream] of streams.entries()) ids.set(stream, entryId(seqs[n] ?? 0));
        }),
      );
      return streamKeys.map((key) => ids.get(streamOf(key)) ?? "");
    },
    async rangeAfter(key, after) {
      const stream = streamOf(key);
      const seq = entrySeq(after);
      if (seq === undefined) return undefined;
      const rows = await client.call<RangeEntry[] | null>(streamOwner(stream), Op.range, { stream, after: seq });
      if (rows === null) return undefined;
      return rows.map((row): LogEntry => ({ id: entryId(row.seq), message: JSON.parse(row.value) as JsonRpcMessage }));
    },
    async register(_set, member, _key, value, now, ttl) {
      if (registered.covers(member, value, now + ttl)) return;
      const expiresAt = await client.call<number>(REGISTRY, Op.register, { stream: member, value, now, ttl });
      registered.set(member, value, expiresAt);
    },
    async replace(key, value) {
      const member = listenerOf(key);
      registered.delete(member);
      await client.call<void>(REGISTRY, Op.replace, { stream: member, value });
    },
    async unregister(_set, member) {
      registered.delete(member);
      await client.call<void>(REGISTRY, Op.unregister, { stream: member });
    },
    members: (_set, now) => client.call<string[]>(REGISTRY, Op.members, { now }),
    getAll: (listenerKeys) =>
      client.call<(string | null)[]>(REGISTRY, Op.values, { streams: listenerKeys.map(listenerOf) }),
  };
}

/** Registrations this isolate remembers; the oldest are forgotten past this many. */
const MAX_REMEMBERED = 10_000;

/**
 * What this isolate last registered, and until when the registry keeps it. A held GET stream refreshes
 * its registration on every check; while the registry's copy (same subscriptions) still lasts past
 * what a refresh asks for, the refresh needs no request. Changes made here forget the entry; one made
 * by another isolate changes the subscriptions, which then differ from the remembered ones.
 */
class Registrations {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();

  covers(member: string, value: string, until: number): boolean {
    const entry = this.#entries.get(member);
    return entry !== undefined && entry.value === value && entry.expiresAt >= until;
  }

  set(member: string, value: string, expiresAt: number): void {
    this.#entries.delete(member);
    this.#entries.set(member, { value, expiresAt });
    if (this.#entries.size > MAX_REMEMBERED) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(member: string): void {
    this.#entries.delete(member);
  }
}
