import type { SessionRecord } from "@mcp-edge/core/storage";

/**
 * The record as stored, format version included: the core compares `v` with the version it
 * understands. Anything that is not a record at all (written by something else under our prefix)
 * reads as no session rather than failing every request for it. Takes the stored JSON text, or the
 * value already parsed (clients that deserialize replies themselves).
 */
export function toSessionRecord(stored: unknown): SessionRecord | undefined {
  const value = typeof stored === "string" ? parseJson(stored) : stored;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const candidate = value as Partial<SessionRecord>;
  if (
    typeof candidate.v !== "number" ||
    typeof candidate.id !== "string" ||
    typeof candidate.lastAccessAt !== "number"
  ) {
    return undefined;
  }
  return value as SessionRecord;
}

/** JSON text parsed, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
