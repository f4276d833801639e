import { STREAM_FIELD } from "./commands.js";
import type { StreamEntry } from "./connection.js";

const decoder = new TextDecoder();

/** Bulk strings arrive as strings, or as bytes when a client is set to return buffers. */
export function text(reply: unknown): string {
  if (typeof reply === "string") return reply;
  if (reply instanceof Uint8Array) return decoder.decode(reply);
  if (typeof reply === "number") return String(reply);
  throw new TypeError(`unexpected redis reply: ${typeof reply}`);
}

export function optionalText(reply: unknown): string | null {
  return reply === null || reply === undefined ? null : text(reply);
}

/** `XRANGE` replies `[[id, [field, value, ...]], ...]`; the value of the `data` field is the entry. */
export function entries(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) throw new TypeError("unexpected XRANGE reply");
  return reply.map((entry: unknown) => {
    if (!Array.isArray(entry) || !Array.isArray(entry[1])) throw new TypeError("unexpected XRANGE entry");
    const fields = entry[1] as unknown[];
    for (let n = 0; n + 1 < fields.length; n += 2) {
      if (text(fields[n]) === STREAM_FIELD) return { id: text(entry[0]), value: text(fields[n + 1]) };
    }
    throw new TypeError("XRANGE entry without a data field");
  });
}
