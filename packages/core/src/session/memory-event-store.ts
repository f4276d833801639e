import * as Defaults from "../protocol/defaults.js";
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import type { EventStore, ListenerEvent, StoredEvent } from "./types.js";

/** An event as the wire carries it: its JSON text, which later changes to the message cannot touch. */
interface StoredText {
  id: string;
  seq: number;
  text: string;
}

interface Stream {
  events: StoredText[];
  nextSeq: number;
  touchedAt: number;
}

interface Listener {
  subscriptions: ReadonlySet<string>;
  expiresAt: number;
}

/** Event ids are `<streamId>_<seq>`: the stream is recoverable from the id, and seq orders it. */
const SEPARATOR = "_";

function parseEventId(eventId: string): { streamId: string; seq: number } | undefined {
  const at = eventId.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const seq = Number(eventId.slice(at + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { streamId: eventId.slice(0, at), seq };
}

/**
 * Replay buffers in memory, bounded per stream by count (oldest dropped first) and by age
 * (streams untouched for `maxAgeMs` are dropped whole, swept on use).
 */
export class InMemoryEventStore implements EventStore {
  readonly #streams = new Map<string, Stream>();
  readonly #listeners = new Map<string, Listener>();
  readonly #maxEvents: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #nextSweepAt = 0;

  constructor(options: { maxEventsPerStream?: number; maxAgeMs?: number; now?: () => number } = {}) {
    this.#maxEvents = options.maxEventsPerStream ?? Defaults.eventStoreMaxEvents;
    this.#maxAgeMs = options.maxAgeMs ?? Defaults.eventStoreMaxAgeMs;
    this.#now = options.now ?? Date.now;
  }

  get streamCount(): number {
    this.#sweep(true);
    return this.#streams.size;
  }

  startOf(streamId: string): string {
    return `${streamId}${SEPARATOR}0`;
  }

  async append(streamId: string, message: JsonRpcMessage): Promise<string> {
    this.#sweep(false);
    let stream = this.#streams.get(streamId);
    if (!stream) {
      stream = { events: [], nextSeq: 1, touchedAt: 0 };
    } else {
      this.#streams.delete(streamId); // re-insert below keeps the Map in last-touched order
    }
    stream.touchedAt = this.#now();
    this.#streams.set(streamId, stream);
    const seq = stream.nextSeq++;
    const id = `${streamId}${SEPARATOR}${seq}`;
    // The JSON text, as a remote store keeps it: later changes to the object cannot rewrite history,
    // a replay sends what a live stream would have sent (a Date as its ISO string, not a Date), and a
    // stringify costs a fraction of a structuredClone.
    stream.events.push({ id, seq, text: JSON.stringify(message) });
    if (stream.events.length > this.#maxEvents) stream.events.shift();
    return id;
  }

  async listen(streamId: string, subscriptions: readonly string[], ttlMs: number): Promise<void> {
    this.#listeners.set(streamId, {
      subscriptions: new Set(subscriptions),
      expiresAt: this.#now() + Math.max(ttlMs, this.#maxAgeMs),
    });
  }

  async setSubscriptions(streamId: string, subscriptions: readonly string[]): Promise<void> {
    const listener = this.#listeners.get(streamId);
    if (listener) listener.subscriptions = new Set(subscriptions);
  }

  async unlisten(streamId: string): Promise<void> {
    this.#listeners.delete(streamId);
  }

  async appendToListeners(message: JsonRpcMessage, uri?: string): Promise<ListenerEvent[]> {
    const now = this.#now();
    const targets: string[] = [];
    for (const [streamId, listener] of this.#listeners) {
      if (listener.expiresAt <= now) this.#listeners.delete(streamId);
      else if (uri === undefined || listener.subscriptions.has(uri)) targets.push(streamId);
    }
    const logged: ListenerEvent[] = [];
    for (const streamId of targets) logged.push({ streamId, eventId: await this.append(streamId, message) });
    return logged;
  }

  async replayAfter(lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    this.#sweep(false);
    const parsed = parseEventId(lastEventId);
    if (!parsed) return undefined;
    const stream = this.#streams.get(parsed.streamId);
    if (!stream) {
      // A primed stream with no events yet is still a valid place to resume from.
      return parsed.seq === 0 ? { streamId: parsed.streamId, events: [] } : undefined;
    }
    if (stream.touchedAt + this.#maxAgeMs <= this.#now()) {
      this.#streams.delete(parsed.streamId);
      return undefined;
    }
    const events: StoredEvent[] = [];
    for (const event of stream.events) {
      if (event.seq > parsed.seq) events.push({ id: event.id, message: JSON.parse(event.text) as JsonRpcMessage });
    }
    return { streamId: parsed.streamId, events };
  }

  #sweep(force: boolean): void {
    const now = this.#now();
    if (!force && now < this.#nextSweepAt) return;
    this.#nextSweepAt = now + 1_000;
    const cutoff = now - this.#maxAgeMs;
    for (const [id, stream] of this.#streams) {
      if (stream.touchedAt > cutoff) break;
      this.#streams.delete(id);
    }
    for (const [id, listener] of this.#listeners) if (listener.expiresAt <= now) this.#listeners.delete(id);
  }
}
