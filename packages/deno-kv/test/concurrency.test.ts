// What the contract does not reach: writers on several instances colliding on one key, and a
// channel that disappeared (its head expired) while an instance listened.
import { openKv } from "@deno/kv";
import { eventually, sampleRecord, unique } from "@mcp-edge/storage-contract";
import { describe, expect, it, onTestFinished } from "vitest";
import { DenoKvEventStore, DenoKvSessionStore, DenoKvStreamManager } from "../src/index.js";

async function database() {
  const kv = await openKv("");
  onTestFinished(() => kv.close());
  return kv;
}

function manager(kv: Awaited<ReturnType<typeof openKv>>): DenoKvStreamManager {
  const created = new DenoKvStreamManager({ kv, pollIntervalMs: 50 });
  onTestFinished(() => created.close());
  return created;
}

describe("deno kv under concurrent writers", () => {
  it("delivers every message of publishers racing on one channel once, each publisher's in its order", async () => {
    const kv = await database();
    const [subscriber, first, second] = [manager(kv), manager(kv), manager(kv)];
    const channel = unique("race");
    const got: string[] = [];
    await subscriber.subscribe(channel, (message) => got.push(message));
    const sent = (who: string) => Array.from({ length: 30 }, (_, n) => `${who}${n}`);
    await Promise.all([
      (async () => {
        for (const message of sent("a")) await first.publish(channel, message);
      })(),
      (async () => {
        for (const message of sent("b")) await second.publish(channel, message);
      })(),
    ]);
    await eventually(() => expect(got).toHaveLength(60));
    expect(new Set(got).size).toBe(60);
    expect(got.filter((m) => m.startsWith("a"))).toEqual(sent("a"));
    expect(got.filter((m) => m.startsWith("b"))).toEqual(sent("b"));
  });

  it("delivers a channel that started over (its head expired) to a subscriber that kept listening", async () => {
    const kv = await database();
    const [subscriber, publisher] = [manager(kv), manager(kv)];
    const channel = unique("reborn");
    const got: string[] = [];
    await subscriber.subscribe(channel, (message) => got.push(message));
    await publisher.publish(channel, "one");
    await publisher.publish(channel, "two");
    await eventually(() => expect(got).toEqual(["one", "two"]));
    // What KV does once the channel sat idle past its retention.
    for await (const entry of kv.list({ prefix: ["mcp", "channel", channel] })) await kv.delete(entry.key);
    await publisher.publish(channel, "after");
    await eventually(() => expect(got).toEqual(["one", "two", "after"]));
  });

  it("gives appends racing from two instances distinct, ordered ids and keeps the bound exact", async () => {
    const kv = await database();
    const a = new DenoKvEventStore({ kv, maxEventsPerStream: 25 });
    const b = new DenoKvEventStore({ kv, maxEventsPerStream: 25 });
    const stream = `${unique("s").replaceAll("-", "")}.get`;
    const note = (who: string, n: number) => ({ jsonrpc: "2.0" as const, method: "m", params: { who, n } });
    const [fromA, fromB] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, (_, n) => a.append(stream, note("a", n)))),
      Promise.all(Array.from({ length: 20 }, (_, n) => b.append(stream, note("b", n)))),
    ]);
    const ids = [...fromA, ...fromB];
    expect(new Set(ids).size).toBe(40);
    const replay = await a.replayAfter(a.startOf(stream));
    expect(replay?.events).toHaveLength(25);
    const positions = (replay?.events ?? []).map((event) => Number(event.id.slice(event.id.lastIndexOf("_") + 1)));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect((positions.at(-1) ?? 0) - (positions[0] ?? 0)).toBe(24);
  });

  it("serves parallel requests of one session from every instance, and a delete among them sticks", async () => {
    const kv = await database();
    const instances = [new DenoKvSessionStore({ kv }), new DenoKvSessionStore({ kv }), new DenoKvSessionStore({ kv })];
    const record = sampleRecord(unique("busy"));
    await instances[0]?.set(record, 60_000);
    const loaded = await Promise.all(
      Array.from({ length: 30 }, (_, n) => instances[n % instances.length]?.get(record.id, 60_000)),
    );
    expect(loaded.map((each) => each?.id)).toEqual(Array.from({ length: 30 }, () => record.id));
    await Promise.all([
      ...Array.from({ length: 10 }, (_, n) => instances[n % instances.length]?.touch(record.id, 60_000)),
      instances[1]?.delete(record.id),
    ]);
    // Whatever order the racing slides committed in, none of them brought the deleted session back.
    expect(await instances[2]?.get(record.id, 60_000)).toBeUndefined();
  });
});
