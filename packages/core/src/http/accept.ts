import * as MediaType from "../protocol/media-type.js";

export interface AcceptedTypes {
  json: boolean;
  sse: boolean;
}

const cache = new Map<string, AcceptedTypes>();
const NONE_GIVEN: AcceptedTypes = { json: true, sse: false };

/**
 * What the client can read. A missing header or a wildcard counts as JSON (so plain curl works);
 * SSE must be asked for by name, since it changes the session mode in auto mode.
 */
export function parseAccept(header: string | null): AcceptedTypes {
  if (header === null || header === "") return NONE_GIVEN;
  const cached = cache.get(header);
  if (cached) return cached;
  let json = false;
  let sse = false;
  for (const part of header.split(",")) {
    const [rawType = "", ...params] = part.split(";");
    const type = rawType.trim().toLowerCase();
    // q=0 means "not acceptable" (RFC 9110).
    if (params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param))) continue;
    if (type === MediaType.Json || type === "application/*" || type === "*/*") json = true;
    if (type === MediaType.EventStream) sse = true;
  }
  const result = { json, sse };
  // Clients send a handful of distinct values; bound the cache anyway against hostile variety.
  if (cache.size < 64) cache.set(header, result);
  return result;
}
