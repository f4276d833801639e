import type { EventStore, JsonRpcMessage } from "@mcp-edge/core";
import { describe, expect, it } from "vitest";
import { listenerContract } from "./listeners.js";
import { type ContractFactory, type EventStoreLimits, sleep, unique, useBackend } from "./support.js";

const ROOMY: EventStoreLimits = { maxEventsPerStream: 1_000, maxAgeMs: 10 * 60 * 1000 };

const note = (n: number): JsonRpcMessage => ({ jsonrpc: "2.0", method: "notifications/progress", params: { n } });

/** Stream ids shaped like the core's (`<sessionId>.<suffix>`), with separators that could confuse a parser. */
function streamId(label: string): string {
  return `${unique(label).replaceAll("-", "")}_x-y.get`;
}

async function appendAll(store: EventStore, stream: string, messages: JsonRpcMessage[]): Promise<string[]> {
  const ids: string[] = [];
  for (const message of messages) ids.push(await store.append(stream, message));
  return ids;
}

/** Registers the EventStore contract. The backend's `open(limits)` applies the bounds a test asks for. */
export function eventStoreContract(name: string, factory: ContractFactory<EventStore, [EventStoreLimits]>): void {
  listenerContract(name, factory);
  describe(`EventStore contract: ${name}`, () => {
    it("replays from the start of a stream that has no events yet", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = streamId("empty");
      expect(store.startOf(stream)).toBe(store.startOf(stream));
      expect(await store.replayAfter(store.startOf(stream))).toEqual({ streamId: stream, events: [] });
    });

    it("replays everything from startOf, oldest first, with the ids append returned", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = streamId("all");
      const messages = [note(1), note(2), note(3)];
      const ids = await appendAll(store, stream, messages);
      expect(new Set(ids).size).toBe(3);
      expect(ids).not.toContain(store.startOf(stream));
      const replay = await store.replayAfter(store.startOf(stream));
      expect(replay).toEqual({ streamId: stream, events: ids.map((id, n) => ({ id, message: messages[n] })) });
    });

    it("replays only what came after the given event", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = streamId("after");
      const ids = await appendAll(store, stream, [note(1), note(2), note(3)]);
      const [first, , last] = ids;
      expect((await store.replayAfter(first ?? ""))?.events.map((event) => event.message)).toEqual([note(2), note(3)]);
      expect(await store.replayAfter(last ?? "")).toEqual({ streamId: stream, events: [] });
    });

    it("encodes the stream in every id, so a replay never crosses streams", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const a = streamId("a");
      // Names that contain another stream's name, or look like an event id themselves.
      const b = `${a}_1`;
      const c = `${a}.get`;
      const ids: Record<string, string[]> = { [a]: [], [b]: [], [c]: [] };
      for (let n = 0; n < 4; n++) {
        for (const stream of [a, b, c]) ids[stream]?.push(await store.append(stream, note(n)));
      }
      for (const stream of [a, b, c]) {
        const own = ids[stream] ?? [];
        const replay = await store.replayAfter(own[0] ?? "");
        expect(replay?.streamId).toBe(stream);
        expect(replay?.events.map((event) => event.id)).toEqual(own.slice(1));
        const fromStart = await store.replayAfter(store.startOf(stream));
        expect(fromStart?.events.map((event) => event.id)).toEqual(own);
      }
    });

    it("answers undefined for malformed ids and for ids of unknown streams", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = streamId("known");
      const [eventId = ""] = await appendAll(store, stream, [note(1), note(2)]);
      const suffix = eventId.slice(stream.length);
      const unknownStream = streamId("never-written");
      for (const bad of [
        "",
        "nope",
        "_",
        `_${suffix.slice(1)}`,
        `${stream}_x`,
        `${stream}_-1`,
        `${stream}_1.5`,
        `${unknownStream}${suffix}`,
      ]) {
        expect(await store.replayAfter(bad), JSON.stringify(bad)).toBeUndefined();
      }
    });

    it("keeps only the newest events once a stream is over its count bound", async () => {
      const store = await (await useBackend(factory)).open({ ...ROOMY, maxEventsPerStream: 3 });
      const stream = streamId("bounded");
      const ids = await appendAll(store, stream, [note(1), note(2), note(3), note(4), note(5)]);
      const replay = await store.replayAfter(store.startOf(stream));
      expect(replay?.events).toEqual([
        { id: ids[2], message: note(3) },
        { id: ids[3], message: note(4) },
        { id: ids[4], message: note(5) },
      ]);
      expect((await store.replayAfter(ids[3] ?? ""))?.events.map((event) => event.message)).toEqual([note(5)]);
    });

    it("bounds each stream on its own", async () => {
      const store = await (await useBackend(factory)).open({ ...ROOMY, maxEventsPerStream: 2 });
      const busy = streamId("busy");
      const quiet = streamId("quiet");
      await appendAll(store, quiet, [note(1)]);
      await appendAll(store, busy, [note(1), note(2), note(3), note(4)]);
      expect((await store.replayAfter(store.startOf(quiet)))?.events.map((event) => event.message)).toEqual([note(1)]);
      expect((await store.replayAfter(store.startOf(busy)))?.events.map((event) => event.message)).toEqual([
        note(3),
        note(4),
      ]);
    });

    it("expires a stream that saw no event for longer than its age bound", async () => {
      // Long enough that what must survive does, even for a backend reached through several hops on a
      // loaded machine (a Durable Object behind a Worker); short enough to keep the suite quick.
      const maxAgeMs = 1_000;
      const store = await (await useBackend(factory)).open({ ...ROOMY, maxAgeMs });
      const stream = streamId("aging");
      const live = streamId("live");
      const [eventId = ""] = await appendAll(store, stream, [note(1), note(2)]);
      await sleep(2 * maxAgeMs);
      const [liveId = ""] = await appendAll(store, live, [note(1)]);
      expect(await store.replayAfter(eventId)).toBeUndefined();
      // Resuming from the very start is still allowed, but nothing is left to replay.
      expect((await store.replayAfter(store.startOf(stream)))?.events ?? []).toEqual([]);
      expect((await store.replayAfter(store.startOf(live)))?.events.map((event) => event.id)).toEqual([liveId]);
    });

    it("carries messages of every kind, unicode and large payloads unchanged", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = streamId("kinds");
      const messages: JsonRpcMessage[] = [
        {
          jsonrpc: "2.0",
          id: "s-1",
          method: "sampling/createMessage",
          params: { messages: [{ role: "user", content: { type: "text", text: "¿qué? 🤖" } }] },
        },
        {
          jsonrpc: "2.0",
          id: 7,
          result: {
            content: [{ type: "text", text: '日本語\u0000\u2028 "q" \\' }],
            nested: { deep: [1, 2.5, null, true] },
          },
        },
        { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request", data: { why: "naïve" } } },
        { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "y".repeat(200 * 1024) } },
      ];
      const ids = await appendAll(store, stream, messages);
      expect((await store.replayAfter(store.startOf(stream)))?.events).toEqual(
        ids.map((id, n) => ({ id, message: messages[n] })),
      );
    });

    it("gives distinct ids to parallel appends, each replayed with its own message", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = streamId("parallel");
      const others = Array.from({ length: 5 }, (_, n) => streamId(`side${n}`));
      const ids = await Promise.all(Array.from({ length: 50 }, (_, n) => store.append(stream, note(n))));
      await Promise.all(others.map((other, n) => store.append(other, note(n))));
      expect(new Set(ids).size).toBe(50);
      const replay = await store.replayAfter(store.startOf(stream));
      expect(replay?.events.map((event) => event.id).sort()).toEqual([...ids].sort());
      expect(replay?.events.map((event) => event.message)).toEqual(
        [...(replay?.events ?? [])].map((event) => note(ids.indexOf(event.id))),
      );
      for (const [n, other] of others.entries()) {
        expect((await store.replayAfter(store.startOf(other)))?.events.map((event) => event.message)).toEqual([
          note(n),
        ]);
      }
    });

    it("shares streams between instances on the same backend", async () => {
      const backend = await useBackend(factory);
      const a = await backend.open(ROOMY);
      const b = await backend.open(ROOMY);
      const stream = streamId("shared");
      const fromA = await a.append(stream, note(1));
      expect((await b.replayAfter(b.startOf(stream)))?.events).toEqual([{ id: fromA, message: note(1) }]);
      const fromB = await b.append(stream, note(2));
      expect(fromB).not.toBe(fromA);
      expect(await a.replayAfter(fromA)).toEqual({ streamId: stream, events: [{ id: fromB, message: note(2) }] });
      expect(a.startOf(stream)).toBe(b.startOf(stream));
    });
  });
}
