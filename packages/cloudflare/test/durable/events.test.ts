// Event logs in an object beyond what the contract suite covers: a message larger than one storage
// row (split over part rows, replayed whole), and a trimmed or dropped split event leaves no part behind.
import { describe, expect, it } from "vitest";
import { facadeEventStore } from "./facade.js";
import { useDurableWorker } from "./harness.js";

const running = useDurableWorker();

const message = (data: string) => ({ jsonrpc: "2.0" as const, method: "notifications/message", params: { data } });

describe("event logs in an object", () => {
  it("keeps a message larger than a storage row and replays it whole", async () => {
    const w = running();
    const prefix = `e${crypto.randomUUID()}:`;
    const store = facadeEventStore(w, prefix, { maxEventsPerStream: 10, maxAgeMs: 60_000 });
    // Close to the 4 MiB request body limit, with characters of every UTF-8 length.
    const big = `${"aé€🚀".repeat(400_000)}end`;
    const id = await store.append("s1.get", message(big));
    const small = await store.append("s1.get", message("small"));
    const replay = await store.replayAfter(store.startOf("s1.get"));
    expect(replay?.events.map((event) => event.id)).toEqual([id, small]);
    expect(JSON.stringify(replay?.events[0]?.message) === JSON.stringify(message(big))).toBe(true);
    expect((await w.keys(`${prefix}s1`)).keys.filter((key) => key.startsWith("part:")).length).toBeGreaterThan(1);
  });

  it("drops the parts of a split event when the count bound drops the event", async () => {
    const w = running();
    const prefix = `e${crypto.randomUUID()}:`;
    const store = facadeEventStore(w, prefix, { maxEventsPerStream: 1, maxAgeMs: 60_000 });
    await store.append("s2.get", message("x".repeat(1_200_000)));
    const last = await store.append("s2.get", message("after"));
    expect((await w.keys(`${prefix}s2`)).keys.filter((key) => key.startsWith("part:"))).toEqual([]);
    expect((await store.replayAfter(store.startOf("s2.get")))?.events.map((event) => event.id)).toEqual([last]);
  });
});
