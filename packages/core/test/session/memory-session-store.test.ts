import { describe, expect, it } from "vitest";
import { InMemorySessionStore } from "../../src/session/memory-session-store.js";
import { SESSION_RECORD_VERSION, type SessionRecord } from "../../src/session/types.js";

function record(id: string): SessionRecord {
  return {
    v: SESSION_RECORD_VERSION,
    id,
    protocolVersion: "2025-11-25",
    clientCapabilities: {},
    initialized: false,
    subscriptions: [],
    createdAt: 0,
    lastAccessAt: 0,
  };
}

describe("InMemorySessionStore", () => {
  it("slides the idle timeout on get and touch, and expires idle sessions", async () => {
    let now = 1_000;
    const store = new InMemorySessionStore({ now: () => now, sweepIntervalMs: 0 });
    await store.set(record("a"), 100);
    now += 90;
    expect((await store.get("a", 100))?.id).toBe("a");
    now += 90;
    expect(await store.touch("a", 100)).toBe(true);
    now += 101;
    expect(await store.get("a", 100)).toBeUndefined();
    expect(await store.touch("a", 100)).toBe(false);
  });

  it("returns copies, so callers cannot change stored state by accident", async () => {
    const store = new InMemorySessionStore();
    await store.set(record("a"), 1_000);
    const loaded = await store.get("a", 1_000);
    loaded?.subscriptions.push("x");
    expect((await store.get("a", 1_000))?.subscriptions).toEqual([]);
  });

  it("reclaims expired sessions without a timer per session", async () => {
    let now = 0;
    const store = new InMemorySessionStore({ now: () => now, sweepIntervalMs: 0 });
    for (let i = 0; i < 1_000; i++) await store.set(record(`s${i}`), 50);
    expect(store.size).toBe(1_000);
    now += 51;
    expect(store.size).toBe(0);
  });

  it("deletes", async () => {
    const store = new InMemorySessionStore();
    await store.set(record("a"), 1_000);
    await store.delete("a");
    expect(await store.get("a", 1_000)).toBeUndefined();
  });
});
