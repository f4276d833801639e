/**
 * Event ids are `<streamId>_<redis stream entry id>`: the stream is recoverable from the id, so a
 * `Last-Event-ID` alone says where to resume.
 */
const SEPARATOR = "_";
/** The entry id before any entry: where a primed stream with no events resumes from. */
export const START_ENTRY = "0-0";
const ENTRY_ID = /^(\d{1,20})-(\d{1,20})$/;
const U64_MAX = 18_446_744_073_709_551_615n;

/** The event id of entry `entryId` of stream `streamId`. */
export function eventId(streamId: string, entryId: string): string {
  return `${streamId}${SEPARATOR}${entryId}`;
}

/** The stream and entry an event id names, or undefined for anything this layout never produced. */
export function parseEventId(id: string): { streamId: string; entryId: string } | undefined {
  const at = id.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const entryId = id.slice(at + 1);
  const match = ENTRY_ID.exec(entryId);
  if (!match) return undefined;
  const ms = BigInt(match[1] ?? "");
  const seq = BigInt(match[2] ?? "");
  // Redis rejects ids past 64 bits, and nothing can follow the largest one; a client's
  // Last-Event-ID must never turn into a server error.
  if (ms > U64_MAX || seq > U64_MAX || (ms === U64_MAX && seq === U64_MAX)) return undefined;
  return { streamId: id.slice(0, at), entryId };
}
