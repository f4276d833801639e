import { describe, expect, it } from "vitest";
import { type Channel, ChannelRegistry, eventId, parseEventId, START_ENTRY, toSessionRecord } from "../src/index.js";

/** A backend that records what it was asked to do, as a Durable Object or a bus would hold channels. */
function recordingBackend() {
  const calls: string[] = [];
  let failNext = false;
  const backend = {
    create: () => ({ held: false }),
    async sync(channel: Channel<{ held: boolean }>) {
      await Promise.resolve();
      const wanted = channel.handlers.size > 0;
      if (wanted === channel.link.held) return;
      if (failNext) {
        failNext = false;
        throw new Error("backend down");
      }
      calls.push(`${wanted ? "hold" : "drop"} ${channel.name}`);
      channel.link.held = wanted;
    },
    idle: (channel: Channel<{ held: boolean }>) => !channel.link.held,
  };
  return { backend, calls, failOnce: () => (failNext = true) };
}

describe("ChannelRegistry", () => {
  it("holds a channel once however many handlers it has, and drops it with the last one", async () => {
    const { backend, calls } = recordingBackend();
    const registry = new ChannelRegistry(backend);
    const got: string[] = [];
    const handler = (message: string) => got.push(message);
    const first = await registry.subscribe("c", handler);
    const second = await registry.subscribe("c", handler);
    registry.channels()[0]?.deliver("m");
    expect(got).toEqual(["m", "m"]);
    await first();
    await first();
    expect(registry.size).toBe(1);
    await second();
    expect(calls).toEqual(["hold c", "drop c"]);
    expect(registry.size).toBe(0);
  });

  it("delivers to every handler even when one throws", async () => {
    const registry = new ChannelRegistry(recordingBackend().backend);
    const got: string[] = [];
    await registry.subscribe("c", () => {
      throw new Error("bad handler");
    });
    await registry.subscribe("c", (message) => got.push(message));
    registry.channels()[0]?.deliver("m");
    expect(got).toEqual(["m"]);
    await registry.close();
    expect(registry.size).toBe(0);
  });

  it("serializes quick subscribe/unsubscribe cycles and forgets a channel whose subscribe failed", async () => {
    const { backend, calls, failOnce } = recordingBackend();
    const registry = new ChannelRegistry(backend);
    failOnce();
    await expect(registry.subscribe("c", () => {})).rejects.toThrow("backend down");
    await Promise.resolve();
    const cycles = Array.from({ length: 5 }, () => registry.subscribe("d", () => {}).then((off) => off()));
    await Promise.all(cycles);
    await registry.close();
    expect(registry.size).toBe(0);
    expect(calls.filter((call) => call.endsWith(" d")).at(-1)).toBe("drop d");
    expect(calls.some((call) => call.endsWith(" c"))).toBe(false);
  });
});

describe("event ids", () => {
  it("round-trip through the stream id and entry id, and refuse what no stream can hold", () => {
    expect(parseEventId(eventId("s_1.get", "5-0"))).toEqual({ streamId: "s_1.get", entryId: "5-0" });
    expect(parseEventId(eventId("s", START_ENTRY))).toEqual({ streamId: "s", entryId: "0-0" });
    expect(parseEventId("_1-0")).toBeUndefined();
    expect(parseEventId("s_1")).toBeUndefined();
    expect(parseEventId("s_18446744073709551615-18446744073709551615")).toBeUndefined();
    expect(parseEventId("s_18446744073709551616-0")).toBeUndefined();
  });
});

describe("toSessionRecord", () => {
  it("reads text or parsed values, and anything that is not a record as none", () => {
    const record = { v: 1, id: "a", lastAccessAt: 1 };
    expect(toSessionRecord(JSON.stringify(record))).toEqual(record);
    expect(toSessionRecord(record)).toEqual(record);
    for (const junk of ["not json", "[1,2]", "42", '{"v":1,"id":"x"}', null, [record]]) {
      expect(toSessionRecord(junk)).toBeUndefined();
    }
  });
});
