import { Defaults } from "@mcp-edge/core/storage";

/** The key prefix when none is configured. */
export const DEFAULT_PREFIX = "mcp:";

/**
 * Where every store keeps what, below one prefix. Backends that share this layout share data: a
 * deployment can move between them without losing sessions or resumable streams.
 */
export interface KeyLayout {
  /** `<prefix>session:`, followed by the session id. */
  session: string;
  /** `<prefix>events:`, followed by the stream id: a capped Redis stream. */
  events: string;
  /** `<prefix>listeners`: the sorted set of streams receiving broadcasts, scored by expiry. */
  listeners: string;
  /** `<prefix>listener:`, followed by the stream id: its resource subscriptions as a JSON array. */
  listener: string;
}

export function keyLayout(prefix: string = DEFAULT_PREFIX): KeyLayout {
  return {
    session: `${prefix}session:`,
    events: `${prefix}events:`,
    listeners: `${prefix}listeners`,
    listener: `${prefix}listener:`,
  };
}

/** How much an event store keeps. */
export interface EventStoreBounds {
  /** Events kept per stream; the oldest are dropped first. Default: the core's (1000). */
  maxEventsPerStream?: number;
  /** A stream with no new event for this long is dropped whole. Default: the core's (5 minutes). */
  maxAgeMs?: number;
}

/** The bounds with the core's defaults filled in; throws `RangeError` for bounds that keep nothing. */
export function eventStoreBounds(options: EventStoreBounds): { maxEvents: number; maxAgeMs: number } {
  const maxEvents = options.maxEventsPerStream ?? Defaults.eventStoreMaxEvents;
  const maxAgeMs = options.maxAgeMs ?? Defaults.eventStoreMaxAgeMs;
  if (!(maxEvents >= 1)) throw new RangeError("maxEventsPerStream must be at least 1");
  if (!(maxAgeMs > 0)) throw new RangeError("maxAgeMs must be positive");
  return { maxEvents, maxAgeMs };
}
