import { type EventStore, SESSION_RECORD_VERSION, type SessionStore } from "@mcp-edge/core/storage";
import { expect } from "vitest";
import { sampleRecord } from "./session-store.js";

/** Sends one raw command to the Redis behind a store, bypassing it. */
export type RawCommand = (...args: string[]) => Promise<unknown>;

/**
 * Checks the key layout every Redis-shaped session store shares: a versioned JSON record under
 * `<prefix>session:<id>`, expiring after the ttl the core gives, slid by `get` and `touch`.
 */
export async function expectSessionLayout(store: SessionStore, run: RawCommand, prefix: string): Promise<void> {
  const key = `${prefix}session:abc`;
  const record = sampleRecord("abc");
  await store.set(record, 90_000);
  const stored = JSON.parse(String(await run("GET", key)));
  expect(stored).toEqual(record);
  expect(stored.v).toBe(SESSION_RECORD_VERSION);
  const ttl = Number(await run("PTTL", key));
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(90_000);
  // The sliding expiry is whatever the core asks for: never a fixed value.
  expect((await store.get("abc", 3_600_000 * 30))?.id).toBe("abc");
  expect(Number(await run("PTTL", key))).toBeGreaterThan(3_600_000 * 29);
  expect(await store.touch("abc", 5_000)).toBe(true);
  expect(Number(await run("PTTL", key))).toBeLessThanOrEqual(5_000);
  await store.delete("abc");
  expect(Number(await run("EXISTS", key))).toBe(0);
}

/**
 * Checks the event log layout every Redis-shaped event store shares, for a store opened with
 * `maxEventsPerStream: 5` and `maxAgeMs: 60_000`: one exactly capped stream key per stream, with an
 * expiry, and event ids `<streamId>_<entry id>`. Returns the ids of the twelve events it appended.
 */
export async function expectEventLogLayout(store: EventStore, run: RawCommand, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < 12; n++) ids.push(await store.append("sess.get", { jsonrpc: "2.0", method: "m", params: { n } }));
  const key = `${prefix}events:sess.get`;
  expect(await run("TYPE", key)).toBe("stream");
  // Exact, not approximate, trimming: the bound users configure is the bound they get.
  expect(Number(await run("XLEN", key))).toBe(5);
  const ttl = Number(await run("PTTL", key));
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(60_000);
  for (const id of ids) expect(id).toMatch(/^sess\.get_\d+-\d+$/);
  expect(store.startOf("sess.get")).toBe("sess.get_0-0");
  return ids;
}

/** Checks that values under `<prefix>session:` that are not session records read as no session. */
export async function expectNonRecordsIgnored(store: SessionStore, run: RawCommand, prefix: string): Promise<void> {
  await run("SET", `${prefix}session:junk`, "not json");
  await run("SET", `${prefix}session:array`, "[1,2]");
  await run("SET", `${prefix}session:number`, "42");
  await run("SET", `${prefix}session:partial`, '{"v":1,"id":"partial"}');
  for (const id of ["junk", "array", "number", "partial"]) expect(await store.get(id, 10_000)).toBeUndefined();
}
