import type { ObjectStorage } from "./platform.js";

/**
 * The keys one object keeps (SQLite-backed key-value API). Numbers are zero-padded so keys sort
 * in number order, which is what `list` ranges rely on.
 */

/** The session record and its idle deadline, together: one row read per request. */
export const SESSION_KEY = "session";

/** Per stream: `{ next, first, expiresAt }`. */
export const META_PREFIX = "meta:";
/** Per stream and event: the message as JSON text. */
export const EVENT_PREFIX = "ev:";
/** Per stream, event and part: a piece of an event too large for one row. */
export const PART_PREFIX = "part:";
/** Per channel and sequence number: a message published while no subscriber was connected. */
export const BUFFER_PREFIX = "buf:";
/** Per listening stream (registry object): `{ value, expiresAt }`. */
export const LISTENER_PREFIX = "lis:";

const pad = (n: number) => String(n).padStart(17, "0");

export const metaKey = (streamId: string) => META_PREFIX + streamId;
/** Every event of a stream starts with this; NUL ends the stream id, so no stream's range holds another's. */
export const eventPrefix = (streamId: string) => `${EVENT_PREFIX}${streamId}\u0000`;
export const eventKey = (streamId: string, seq: number) => eventPrefix(streamId) + pad(seq);
/** The parts of one event (`seq` given), or of every event of the stream. */
export const partPrefix = (streamId: string, seq?: number) =>
  `${PART_PREFIX}${streamId}\u0000${seq === undefined ? "" : `${pad(seq)}\u0000`}`;
export const partKey = (streamId: string, seq: number, part: number) =>
  partPrefix(streamId, seq) + String(part).padStart(4, "0");
export const bufferPrefix = (channel: string) => `${BUFFER_PREFIX}${channel}\u0000`;
export const bufferKey = (channel: string, seq: number) => bufferPrefix(channel) + pad(seq);
export const listenerKey = (streamId: string) => LISTENER_PREFIX + streamId;

/** The number at the end of an event or buffer key. */
export function keySeq(key: string): number {
  return Number(key.slice(key.lastIndexOf("\u0000") + 1));
}

export interface SessionEntry {
  /** The record as the store wrote it (JSON text). */
  value: string;
  /** When the session expires unless used again. */
  deadline: number;
}

export interface StreamMeta {
  /** The number the next event gets; events are numbered from 1. */
  next: number;
  /** The oldest number still kept. */
  first: number;
  expiresAt: number;
}

export interface ListenerEntry {
  value: string;
  expiresAt: number;
}

/** The key-value API takes at most 128 keys per call. */
const BATCH = 128;

export async function deleteKeys(storage: ObjectStorage, keys: readonly string[]): Promise<void> {
  for (let at = 0; at < keys.length; at += BATCH) await storage.delete(keys.slice(at, at + BATCH));
}

export async function putEntries(storage: ObjectStorage, entries: Record<string, unknown>): Promise<void> {
  const all = Object.entries(entries);
  for (let at = 0; at < all.length; at += BATCH) await storage.put(Object.fromEntries(all.slice(at, at + BATCH)));
}
