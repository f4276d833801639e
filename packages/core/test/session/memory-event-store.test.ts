import { describe, expect, it } from "vitest";
import { InMemoryEventStore } from "../../src/session/memory-event-store.js";

const note = (n: number) => ({ jsonrpc: "2.0" as const, method: "n", params: { n } });

describe("InMemoryEventStore", () => {
  it("replays only the events after the given id, and only from that id's stream", async () => {
    const store = new InMemoryEventStore();
    const a1 = await store.append("s.a", note(1));
    await store.append("s.b", note(100));
    await store.append("s.a", note(2));
    await store.append("s.a", note(3));
    const replay = await store.replayAfter(a1);
    expect(replay?.streamId).toBe("s.a");
    expect(replay?.events.map((event) => event.message)).toEqual([note(2), note(3)]);
  });

  it("replays everything after the priming id, even before the first event", async () => {
    const store = new InMemoryEventStore();
    expect(await store.replayAfter(store.startOf("s.x"))).toEqual({ streamId: "s.x", events: [] });
    await store.append("s.x", note(1));
    expect((await store.replayAfter(store.startOf("s.x")))?.events).toHaveLength(1);
  });

  it("rejects unknown and malformed ids", async () => {
    const store = new InMemoryEventStore();
    expect(await store.replayAfter("nope")).toBeUndefined();
    expect(await store.replayAfter("s.a_7")).toBeUndefined();
    expect(await store.replayAfter("s.a_-1")).toBeUndefined();
  });

  it("is bounded by count and by age", async () => {
    let now = 0;
    const store = new InMemoryEventStore({ maxEventsPerStream: 2, maxAgeMs: 100, now: () => now });
    for (let n = 1; n <= 5; n++) await store.append("s.a", note(n));
    expect((await store.replayAfter(store.startOf("s.a")))?.events.map((event) => event.message)).toEqual([
      note(4),
      note(5),
    ]);
    now += 101;
    expect(await store.replayAfter("s.a_4")).toBeUndefined();
    expect(store.streamCount).toBe(0);
  });

  it("keeps what the wire carries: later changes to a message do not reach it, a Date replays as text", async () => {
    const store = new InMemoryEventStore();
    const message = { jsonrpc: "2.0" as const, method: "n", params: { at: new Date(0), list: [1] } };
    await store.append("s.a", message);
    message.params.list.push(2);
    const replayed = (await store.replayAfter(store.startOf("s.a")))?.events[0]?.message;
    expect(replayed).toEqual({ jsonrpc: "2.0", method: "n", params: { at: "1970-01-01T00:00:00.000Z", list: [1] } });
  });
});
