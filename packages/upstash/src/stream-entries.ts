import type { JsonRpcMessage } from "@mcp-edge/core/storage";
import type { LogEntry } from "@mcp-edge/redis-kit";
import { fromJson } from "./client.js";

/** The field of a stream entry that holds the event store's value. */
export const FIELD = "data";

/**
 * XRANGE as the client hands it back: with `automaticDeserialization: false` the raw reply
 * `[[id, [field, value, ...]], ...]`; by default an object `{ [id]: { [field]: parsed value } }`
 * (in insertion order: entry ids are not array indices, so JavaScript keeps their order). Entries
 * whose data is not a JSON object were not written by this store and are skipped.
 */
export function entries(reply: unknown): LogEntry[] {
  const found: LogEntry[] = [];
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
