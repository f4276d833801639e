import type { EventStore, JsonRpcMessage } from "@mcp-edge/core";
import { describe, expect, it } from "vitest";
import { type ContractFactory, type EventStoreLimits, sleep, unique, useBackend } from "./support.js";

const ROOMY: EventStoreLimits = { maxEventsPerStream: 1_000, maxAgeMs: 10 * 60 * 1000 };
const LONG_TTL = 60_000;

const changed: JsonRpcMessage = { jsonrpc: "2.0", method: "notifications/tools/list_changed" };
const updated = (uri: string): JsonRpcMessage => ({
  jsonrpc: "2.0",
  method: "notifications/resources/updated",
  params: { uri },
});

/** A standalone stream id shaped like the core's (`<sessionId>.get`). */
function standalone(label: string): string {
  return `${unique(label).replaceAll("-", "")}.get`;
}

/** What `appendToListeners` answered, as a map, restricted to the streams a test made (backends may be shared). */
function byStream(logged: { streamId: string; eventId: string }[], mine: string[]): Map<string, string> {
  return new Map(logged.filter((entry) => mine.includes(entry.streamId)).map((e) => [e.streamId, e.eventId]));
}

async function messagesOf(store: EventStore, streamId: string): Promise<JsonRpcMessage[]> {
  return ((await store.replayAfter(store.startOf(streamId)))?.events ?? []).map((event) => event.message);
}

/** The broadcast registry every EventStore keeps: who listens, with which subscriptions, for how long. */
export function listenerContract(name: string, factory: ContractFactory<EventStore, [EventStoreLimits]>): void {
  describe(`EventStore listeners contract: ${name}`, () => {
    it("appends a broadcast to every listening stream, with the id each got, and to no other", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const [a, b, quiet] = [standalone("a"), standalone("b"), standalone("quiet")];
      await store.listen(a, [], LONG_TTL);
      await store.listen(b, ["test://x"], LONG_TTL);
      const logged = byStream(await store.appendToListeners(changed), [a, b, quiet]);
      expect([...logged.keys()].sort()).toEqual([a, b].sort());
      for (const stream of [a, b]) {
        const replay = await store.replayAfter(store.startOf(stream));
        expect(replay?.events).toEqual([{ id: logged.get(stream), message: changed }]);
        // The id is an ordinary event id of that stream: a replay after it is empty.
        expect(await store.replayAfter(logged.get(stream) ?? "")).toEqual({ streamId: stream, events: [] });
      }
      expect(await messagesOf(store, quiet)).toEqual([]);
    });

    it("keeps broadcasts in order with the stream's own events", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = standalone("ordered");
      await store.listen(stream, [], LONG_TTL);
      const own: JsonRpcMessage = { jsonrpc: "2.0", method: "notifications/message", params: { data: "own" } };
      const first = await store.append(stream, own);
      await store.appendToListeners(changed);
      await store.append(stream, own);
      expect(await messagesOf(store, stream)).toEqual([own, changed, own]);
      expect((await store.replayAfter(first))?.events.map((event) => event.message)).toEqual([changed, own]);
    });

    it("appends a resource update only to the streams subscribed to its uri", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const [x, xy, none] = [standalone("x"), standalone("xy"), standalone("none")];
      await store.listen(x, ["test://x"], LONG_TTL);
      await store.listen(xy, ["test://x", "test://y"], LONG_TTL);
      await store.listen(none, [], LONG_TTL);
      const mine = [x, xy, none];
      expect([...byStream(await store.appendToListeners(updated("test://y"), "test://y"), mine).keys()]).toEqual([xy]);
      expect([...byStream(await store.appendToListeners(updated("test://x"), "test://x"), mine).keys()].sort()).toEqual(
        [x, xy].sort(),
      );
      expect(byStream(await store.appendToListeners(updated("test://z"), "test://z"), mine).size).toBe(0);
      expect(await messagesOf(store, xy)).toEqual([updated("test://y"), updated("test://x")]);
      expect(await messagesOf(store, none)).toEqual([]);
    });

    it("changes the subscriptions of a listening stream, and registers nothing for one that is not", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const [listening, stranger] = [standalone("listening"), standalone("stranger")];
      await store.listen(listening, [], LONG_TTL);
      await store.setSubscriptions(listening, ["test://x"]);
      await store.setSubscriptions(stranger, ["test://x"]);
      const logged = byStream(await store.appendToListeners(updated("test://x"), "test://x"), [listening, stranger]);
      expect([...logged.keys()]).toEqual([listening]);
      expect(byStream(await store.appendToListeners(changed), [stranger]).size).toBe(0);
      await store.setSubscriptions(listening, []);
      expect(byStream(await store.appendToListeners(updated("test://x"), "test://x"), [listening]).size).toBe(0);
    });

    it("stops appending to a stream once it no longer listens", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const [gone, stays] = [standalone("gone"), standalone("stays")];
      await store.listen(gone, ["test://x"], LONG_TTL);
      await store.listen(stays, [], LONG_TTL);
      await store.unlisten(gone);
      await store.unlisten(standalone("never-listened"));
      expect([...byStream(await store.appendToListeners(changed), [gone, stays]).keys()]).toEqual([stays]);
      expect(await messagesOf(store, gone)).toEqual([]);
    });

    it("keeps a registration for the store's retention when the ttl asked for is shorter", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const stream = standalone("retained");
      await store.listen(stream, [], 1);
      await sleep(50);
      expect(byStream(await store.appendToListeners(changed), [stream]).size).toBe(1);
    });

    it("drops a registration that was not refreshed within max(ttl, retention)", async () => {
      // Long enough that what must survive does, even for a backend reached through several hops on a
      // loaded machine (a Durable Object behind a Worker); short enough to keep the suite quick.
      const maxAgeMs = 1_000;
      const store = await (await useBackend(factory)).open({ ...ROOMY, maxAgeMs });
      const [lapsing, refreshed, longer] = [standalone("lapsing"), standalone("refreshed"), standalone("longer")];
      await store.listen(lapsing, [], 100);
      await store.listen(refreshed, [], 100);
      await store.listen(longer, [], LONG_TTL);
      await sleep(2 * maxAgeMs);
      await store.listen(refreshed, [], 100);
      const logged = byStream(await store.appendToListeners(changed), [lapsing, refreshed, longer]);
      expect([...logged.keys()].sort()).toEqual([refreshed, longer].sort());
    });

    it("answers an empty list when nobody listens", async () => {
      const store = await (await useBackend(factory)).open(ROOMY);
      const mine = standalone("alone");
      expect(byStream(await store.appendToListeners(changed), [mine]).size).toBe(0);
      expect(byStream(await store.appendToListeners(updated("test://x"), "test://x"), [mine]).size).toBe(0);
    });

    it("shares registrations between instances on the same backend", async () => {
      const backend = await useBackend(factory);
      const a = await backend.open(ROOMY);
      const b = await backend.open(ROOMY);
      const stream = standalone("shared");
      await a.listen(stream, ["test://x"], LONG_TTL);
      const logged = byStream(await b.appendToListeners(updated("test://x"), "test://x"), [stream]);
      expect(logged.size).toBe(1);
      expect(await messagesOf(a, stream)).toEqual([updated("test://x")]);
      await b.unlisten(stream);
      expect(byStream(await a.appendToListeners(changed), [stream]).size).toBe(0);
    });
  });
}
