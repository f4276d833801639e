import type { SessionStore } from "@mcp-edge/core";
import {
  eventually,
  expectPubSubRecovered,
  expectStoresUnavailable,
  expectUnavailable,
  sampleRecord,
  waitForOutage,
} from "@mcp-edge/storage-contract";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type ConnectionOptions, RedisEventStore, RedisSessionStore, RedisStreamManager } from "../src/index.js";
import { CLIENT_KINDS, type ClientKind, connectClient, type OpenClient, testPrefix } from "./clients.js";

const TTL_MS = 60_000;

async function isUp(server: RedisServer): Promise<boolean> {
  const probe = await connectClient("node-redis", server.url).catch(() => undefined);
  await probe?.close();
  return probe !== undefined;
}

/** Two instances' worth of stores over one Redis: A holds a subscription, B publishes. */
async function deployment(kind: ClientKind, url: string, options: ConnectionOptions, failFast: boolean) {
  const open: OpenClient[] = [];
  const connect = async () => {
    const client = await connectClient(kind, url, { failFast });
    open.push(client);
    return client.client;
  };
  const prefix = testPrefix();
  const a = await connect();
  const aSub = await connect();
  const b = await connect();
  const bSub = await connect();
  return {
    clients: open,
    sessions: new RedisSessionStore({ client: a, prefix, ...options }) as SessionStore,
    events: new RedisEventStore({ client: a, prefix, ...options }),
    managerA: new RedisStreamManager({ client: a, pubSubClient: aSub, prefix, ...options }),
    managerB: new RedisStreamManager({ client: b, pubSubClient: bSub, prefix, ...options }),
    close: () => Promise.all(open.map((client) => client.close())),
  };
}

describe.each(CLIENT_KINDS)("redis-server stopped and restarted, via %s", (kind) => {
  let server: RedisServer;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    vi.restoreAllMocks();
    // A test that failed while Redis was down must not take the next test down with it.
    if (!(await isUp(server))) await server.restart();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("fails fast with StoreUnavailableError while it is down, and recovers by itself", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    // No safety-net timeout: with the recommended client settings every failure must be immediate.
    const d = await deployment(kind, server.url, { commandTimeoutMs: 0 }, true);
    cleanups.push(d.close);
    const record = sampleRecord("survivor");
    const stream = "survivor.get";
    const got: string[] = [];
    await d.managerA.subscribe("news", (message) => got.push(message));
    await d.sessions.set(record, TTL_MS);
    await d.managerB.publish("news", "before");
    await eventually(() => expect(got).toEqual(["before"]));

    await server.stop();

    // The clients notice the closed sockets by themselves; from then on every operation fails at once.
    await waitForOutage(d.sessions, TTL_MS);
    const stores = { sessions: d.sessions, events: d.events, publisher: d.managerB, subscriber: d.managerA };
    await expectStoresUnavailable(stores, record, stream, TTL_MS);
    // A failed subscribe leaves nothing behind.
    expect(d.managerA.channelCount).toBe(1);
    // Every client reported the outage through its 'error' event instead of crashing the process,
    // and the default reporter logged it once per client, not once per reconnect attempt.
    for (const client of d.clients) expect(client.client.listenerCount("error")).toBeGreaterThanOrEqual(1);
    await eventually(() => expect(warn.mock.calls.length).toBeGreaterThan(0));
    expect(warn.mock.calls.length).toBeLessThanOrEqual(d.clients.length);

    await server.restart();

    // No persistence: the restarted Redis is empty, so the record is written anew once it answers.
    await eventually(() => d.sessions.set(record, TTL_MS));
    expect((await d.sessions.get(record.id, TTL_MS))?.id).toBe(record.id);
    await eventually(() => d.events.append(stream, { jsonrpc: "2.0", method: "m" }));
    expect((await d.events.replayAfter(d.events.startOf(stream)))?.events).toHaveLength(1);
    // The subscription made before the outage is restored by the client, with no help from the caller.
    await expectPubSubRecovered(d.managerA, d.managerB, got);
  });

  it("still fails with StoreUnavailableError, after commandTimeoutMs, when the client queues commands offline", async () => {
    const errors: unknown[] = [];
    const d = await deployment(
      kind,
      server.url,
      { commandTimeoutMs: 200, onError: (error) => errors.push(error) },
      false,
    );
    cleanups.push(d.close);
    const record = sampleRecord("queued");
    await d.sessions.set(record, TTL_MS);

    await server.stop();
    await eventually(() => expect(errors.length).toBeGreaterThan(0));

    await expect(d.sessions.get(record.id, TTL_MS)).rejects.toThrow(/did not answer within 200 ms/);
    await expectUnavailable(() => d.sessions.set(record, TTL_MS));
    await expectUnavailable(() => d.events.append("q.get", { jsonrpc: "2.0", method: "m" }));
    await expectUnavailable(() => d.events.replayAfter("q.get_0-0"));
    await expectUnavailable(() => d.managerB.publish("news", "queued"));

    await server.restart();
    await eventually(async () => {
      await d.sessions.set(record, TTL_MS);
      expect((await d.sessions.get(record.id, TTL_MS))?.id).toBe(record.id);
    });
  });
});
