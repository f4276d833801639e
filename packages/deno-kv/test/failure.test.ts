// What the stores do when Deno KV fails them or holds on to what it should have dropped.
import { openKv } from "@deno/kv";
import { StoreUnavailableError } from "@mcp-edge/core/storage";
import { eventually, expectStoresUnavailable, sampleRecord, sleep, unique } from "@mcp-edge/storage-contract";
import { describe, expect, it } from "vitest";
import { DenoKvEventStore, DenoKvSessionStore, DenoKvStreamManager, MAX_MESSAGE_BYTES } from "../src/index.js";

describe("deno kv stores", () => {
  it("fail every operation with StoreUnavailableError once the database is gone", async () => {
    const kv = await openKv("");
    const stores = {
      sessions: new DenoKvSessionStore({ kv }),
      events: new DenoKvEventStore({ kv }),
      publisher: new DenoKvStreamManager({ kv }),
      subscriber: new DenoKvStreamManager({ kv }),
    };
    kv.close();
    await expectStoresUnavailable(stores, sampleRecord(unique("gone")), "s.get", 60_000);
    await expect(stores.events.listen("s.get", [], 60_000)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(stores.events.appendToListeners({ jsonrpc: "2.0", method: "m" })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await stores.publisher.close();
    await stores.subscriber.close();
  });

  it("never serves an expired record that the database still holds", async () => {
    // The native SQLite store of @deno/kv keeps expired keys well past their expiry: the stamp decides.
    const kv = await openKv(":memory:");
    try {
      const sessions = new DenoKvSessionStore({ kv });
      const events = new DenoKvEventStore({ kv, maxAgeMs: 200 });
      const record = sampleRecord(unique("stale"));
      await sessions.set(record, 200);
      const id = await events.append("stale.get", { jsonrpc: "2.0", method: "m" });
      await sleep(400);
      expect(await sessions.get(record.id, 60_000)).toBeUndefined();
      expect(await sessions.touch(record.id, 60_000)).toBe(false);
      expect(await events.replayAfter(id)).toBeUndefined();
    } finally {
      kv.close();
    }
  });

  it("refuses a message over the size one commit can hold, without calling it an outage", async () => {
    const kv = await openKv("");
    try {
      const events = new DenoKvEventStore({ kv });
      const manager = new DenoKvStreamManager({ kv });
      const huge = "x".repeat(MAX_MESSAGE_BYTES + 1);
      const error = await events.append("big.get", { jsonrpc: "2.0", method: "m", params: { huge } }).catch((e) => e);
      expect(error).toBeInstanceOf(RangeError);
      await expect(manager.publish("big", huge)).rejects.toBeInstanceOf(RangeError);
      await manager.close();
    } finally {
      kv.close();
    }
  });

  it("lets go of every channel and stops watching once closed", async () => {
    const kv = await openKv("");
    try {
      const manager = new DenoKvStreamManager({ kv, pollIntervalMs: 20 });
      const got: string[] = [];
      const channels = Array.from({ length: 12 }, (_, n) => unique(`c${n}`));
      const offs = await Promise.all(channels.map((channel) => manager.subscribe(channel, (m) => got.push(m))));
      for (const channel of channels) await manager.publish(channel, channel);
      await eventually(() => expect(got.sort()).toEqual([...channels].sort()));
      await Promise.all(offs.slice(0, 6).map((off) => off()));
      expect(manager.channelCount).toBe(6);
      await manager.close();
      expect(manager.channelCount).toBe(0);
      await expect(manager.subscribe("after", () => {})).rejects.toBeInstanceOf(TypeError);
    } finally {
      kv.close();
    }
  });
});
