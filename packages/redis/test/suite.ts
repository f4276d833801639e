import { StoreUnavailableError } from "@mcp-edge/core";
import {
  eventStoreContract,
  eventually,
  expectEventLogLayout,
  expectNonRecordsIgnored,
  expectSessionLayout,
  sampleRecord,
  sessionStoreContract,
  streamManagerContract,
} from "@mcp-edge/storage-contract";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fromIoRedis,
  fromNodeRedis,
  type RedisClient,
  RedisEventStore,
  RedisSessionStore,
  RedisStreamManager,
  toRedisConnection,
} from "../src/index.js";
import {
  type ClientKind,
  connectClient,
  eventStoreFactory,
  type OpenClient,
  sessionStoreFactory,
  streamManagerFactory,
  testPrefix,
} from "./clients.js";

/** Sends one raw command through whichever client is at hand, to inspect what the stores wrote. */
function raw(client: RedisClient): (...args: string[]) => Promise<unknown> {
  if ("call" in client) return (command, ...rest) => client.call(command, ...rest);
  return (...args) => client.sendCommand(args);
}

/** `INFO commandstats` as { command: calls }. */
async function commandStats(client: RedisClient): Promise<Record<string, number>> {
  const text = String(await raw(client)("INFO", "commandstats"));
  const stats: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats[match[1] ?? ""] = Number(match[2]);
  return stats;
}

/** The contract suite and the Redis-specific checks, against a private redis-server, for one client. */
export function redisSuite(kind: ClientKind): void {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const url = () => server.url;

  sessionStoreContract(`redis via ${kind}`, sessionStoreFactory(kind, url));
  streamManagerContract(`redis via ${kind}`, streamManagerFactory(kind, url));
  eventStoreContract(`redis via ${kind}`, eventStoreFactory(kind, url));

  describe(`redis layout via ${kind}`, () => {
    let open: OpenClient;
    let run: (...args: string[]) => Promise<unknown>;
    beforeAll(async () => {
      open = await connectClient(kind, server.url);
      run = raw(open.client);
    });
    afterAll(async () => {
      await open?.close();
    });

    it("is detected from the client, and the explicit wrappers give the same connection", () => {
      const connection = toRedisConnection(open.client);
      expect(typeof connection.getEx).toBe("function");
      const explicit = "call" in open.client ? fromIoRedis(open.client) : fromNodeRedis(open.client);
      expect(toRedisConnection(explicit)).toBe(explicit);
      expect(() => toRedisConnection({} as RedisClient)).toThrow(TypeError);
    });

    it("stores a session as versioned JSON under <prefix>session:<id>, expiring after the ttl given", async () => {
      const prefix = testPrefix();
      await expectSessionLayout(new RedisSessionStore({ client: open.client, prefix }), run, prefix);
    });

    it("uses the default prefix mcp: when none is given", async () => {
      const store = new RedisSessionStore({ client: open.client });
      const id = `default-prefix-${crypto.randomUUID()}`;
      await store.set(sampleRecord(id), 10_000);
      expect(await run("EXISTS", `mcp:session:${id}`)).toBe(1);
      await store.delete(id);
      expect(await run("EXISTS", `mcp:session:${id}`)).toBe(0);
    });

    it("reads a value that is not a session record as no session", async () => {
      const prefix = testPrefix();
      await expectNonRecordsIgnored(new RedisSessionStore({ client: open.client, prefix }), run, prefix);
    });

    it("keeps each event stream in one capped stream key with an expiry", async () => {
      const prefix = testPrefix();
      const store = new RedisEventStore({ client: open.client, prefix, maxEventsPerStream: 5, maxAgeMs: 60_000 });
      await expectEventLogLayout(store, run, prefix);
    });

    it("treats an out-of-range Last-Event-ID as unknown rather than failing", async () => {
      const store = new RedisEventStore({ client: open.client, prefix: testPrefix() });
      await store.append("s.get", { jsonrpc: "2.0", method: "m" });
      for (const id of [
        "s.get_18446744073709551615-18446744073709551615",
        "s.get_18446744073709551616-0",
        "s.get_0-99999999999999999999",
      ]) {
        expect(await store.replayAfter(id)).toBeUndefined();
      }
      expect((await store.replayAfter("s.get_18446744073709551615-0"))?.events).toEqual([]);
    });

    it("surfaces a wrong-type reply as the bug it is, not as an outage", async () => {
      const prefix = testPrefix();
      const events = new RedisEventStore({ client: open.client, prefix });
      const sessions = new RedisSessionStore({ client: open.client, prefix });
      await run("SET", `${prefix}events:s.get`, "not a stream");
      await run("RPUSH", `${prefix}session:listed`, "not a string");
      const append = events.append("s.get", { jsonrpc: "2.0", method: "m" });
      await expect(append).rejects.toThrow(/WRONGTYPE/);
      await expect(append).rejects.not.toBeInstanceOf(StoreUnavailableError);
      await expect(sessions.get("listed", 1_000)).rejects.toThrow(/WRONGTYPE/);
    });

    it("publishes on <prefix><channel>, so deployments sharing a Redis stay apart", async () => {
      const a = await connectClient(kind, server.url);
      const b = await connectClient(kind, server.url);
      const c = await connectClient(kind, server.url);
      try {
        const prefix = testPrefix();
        const mine = new RedisStreamManager({ client: open.client, pubSubClient: a.client, prefix });
        const theirs = new RedisStreamManager({ client: open.client, pubSubClient: b.client, prefix: testPrefix() });
        const mineGot: string[] = [];
        const theirsGot: string[] = [];
        await mine.subscribe("chan", (message) => mineGot.push(message));
        await theirs.subscribe("chan", (message) => theirsGot.push(message));
        const listener = new RedisStreamManager({ client: open.client, pubSubClient: c.client, prefix: "" });
        const rawGot: string[] = [];
        await listener.subscribe(`${prefix}chan`, (message) => rawGot.push(message));
        await mine.publish("chan", "hello");
        await eventually(() => expect(rawGot).toEqual(["hello"]));
        await eventually(() => expect(mineGot).toEqual(["hello"]));
        expect(theirsGot).toEqual([]);
        await Promise.all([mine.close(), theirs.close(), listener.close()]);
        expect(mine.channelCount + theirs.channelCount + listener.channelCount).toBe(0);
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });

    it("refuses one connection for both publishing and subscribing", () => {
      expect(() => new RedisStreamManager({ client: open.client, pubSubClient: open.client })).toThrow(
        /separate connection/,
      );
    });

    it("appends a broadcast to more streams than one transaction holds, each with its event and an expiry", async () => {
      const prefix = testPrefix();
      const maxAgeMs = 60_000;
      const store = new RedisEventStore({ client: open.client, prefix, maxAgeMs });
      const streams = Array.from({ length: 1_234 }, (_, n) => `s${n}.get`);
      for (let from = 0; from < streams.length; from += 200) {
        await Promise.all(streams.slice(from, from + 200).map((id) => store.listen(id, ["test://x"], 30_000)));
      }
      const message = {
        jsonrpc: "2.0" as const,
        method: "notifications/resources/updated",
        params: { uri: "test://x" },
      };
      const logged = await store.appendToListeners(message, "test://x");
      const ids = new Map(logged.map(({ streamId, eventId }) => [streamId, eventId]));
      expect(ids.size).toBe(streams.length);
      await Promise.all(
        streams.map(async (streamId) => {
          const replay = await store.replayAfter(store.startOf(streamId));
          expect(replay?.events).toEqual([{ id: ids.get(streamId), message }]);
          const ttl = Number(await run("PTTL", `${prefix}events:${streamId}`));
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(maxAgeMs);
        }),
      );
    });

    // Registered only for node-redis, whose sendCommand takes the per-command timeout this checks (so no run skips it).
    if (kind === "node-redis")
      it("turns node-redis's own per-command timeout off only where the guard bounds the call", async () => {
        const client = open.client as Extract<RedisClient, { sendCommand: unknown }>;
        const seen: unknown[] = [];
        const spied = new Proxy(client, {
          get(target, property) {
            if (property !== "sendCommand") return Reflect.get(target, property, target) as unknown;
            return (args: string[], options?: { timeout?: number }) => {
              seen.push(options);
              return target.sendCommand(args, options);
            };
          },
        });
        const prefix = testPrefix();
        await new RedisSessionStore({ client: fromNodeRedis(spied), prefix }).get("a", 1_000);
        await new RedisSessionStore({ client: fromNodeRedis(spied, { commandTimeoutMs: 0 }), prefix }).get("a", 1_000);
        expect(seen).toEqual([{ timeout: 0 }, undefined]);
      });

    it("never sends KEYS, SCAN or scripts (checked over everything this file ran)", async () => {
      const stats = await commandStats(open.client);
      expect(stats.getex).toBeGreaterThan(0);
      expect(stats.xadd).toBeGreaterThan(0);
      for (const command of ["keys", "scan", "eval", "evalsha", "fcall"])
        expect(stats[command], command).toBeUndefined();
    });
  });
}
