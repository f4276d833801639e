// The WebSocket channels between the Worker and the objects, in real workerd: a subscription outlives
// its object being reset (it reconnects, and what was published meanwhile is sent to it), and a
// message larger than one WebSocket frame may carry arrives whole.
import { eventually } from "@mcp-edge/storage-contract";
import { describe, expect, it } from "vitest";
import { facadeStreamManager } from "./facade.js";
import { useDurableWorker } from "./harness.js";

const running = useDurableWorker();

describe("channels through objects", () => {
  it("keeps a subscription across a reset of the object carrying it", async () => {
    const w = running();
    const prefix = `c${crypto.randomUUID()}:`;
    const manager = facadeStreamManager(w, prefix);
    const got: string[] = [];
    await manager.subscribe("news", (message) => got.push(message));
    await manager.publish("news", "before");
    await eventually(() => expect(got).toEqual(["before"]));
    const started = (await w.counts()).objectsStarted;
    await w.reset(`${prefix}channel:news`);
    // Published while the subscriber may still be reconnecting: kept by the object until it is back.
    await manager.publish("news", "after");
    await eventually(() => expect(got).toEqual(["before", "after"]));
    expect((await w.counts()).objectsStarted).toBeGreaterThan(started);
    await manager.close();
  });

  it("carries a message larger than a WebSocket frame may be, in pieces, whole and in order", async () => {
    const w = running();
    const manager = facadeStreamManager(w, `c${crypto.randomUUID()}:`);
    const got: string[] = [];
    await manager.subscribe("big", (message) => got.push(message));
    const big = `${"ü🚀".repeat(300_000)}end`;
    await manager.publish("big", big);
    await manager.publish("big", "small");
    await eventually(() => expect(got.length).toBe(2));
    expect(got[0] === big).toBe(true);
    expect(got[1]).toBe("small");
    await manager.close();
  });
});
