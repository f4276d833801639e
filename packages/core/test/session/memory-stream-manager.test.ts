import { describe, expect, it } from "vitest";
import { InMemoryStreamManager } from "../../src/session/memory-stream-manager.js";

describe("InMemoryStreamManager", () => {
  it("delivers to every subscriber of a channel and stops after unsubscribe", async () => {
    const manager = new InMemoryStreamManager();
    const got: string[] = [];
    const off1 = await manager.subscribe("c", (m) => got.push(`1:${m}`));
    const off2 = await manager.subscribe("c", (m) => got.push(`2:${m}`));
    await manager.publish("c", "x");
    await manager.publish("other", "y");
    await off1();
    await manager.publish("c", "z");
    expect(got).toEqual(["1:x", "2:x", "2:z"]);
    await off2();
    expect(manager.channelCount).toBe(0);
  });

  it("keeps delivering when one subscriber throws", async () => {
    const manager = new InMemoryStreamManager();
    const got: string[] = [];
    await manager.subscribe("c", () => {
      throw new Error("boom");
    });
    await manager.subscribe("c", (m) => got.push(m));
    await manager.publish("c", "x");
    expect(got).toEqual(["x"]);
  });
});
