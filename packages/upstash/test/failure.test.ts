import type { JsonRpcMessage } from "@mcp-edge/core";
import {
  eventually,
  expectPubSubRecovered,
  expectStoresUnavailable,
  sampleRecord,
  waitForOutage,
} from "@mcp-edge/storage-contract";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "../src/index.js";
import { client, TOKEN, testPrefix } from "./support.js";

const TTL_MS = 60_000;
const note: JsonRpcMessage = { jsonrpc: "2.0", method: "notifications/message", params: { level: "info" } };

/** Two instances' worth of stores over one bridge: A holds subscriptions, B publishes. */
function deployment(url: string) {
  const prefix = testPrefix();
  const errors: unknown[] = [];
  const options = { url, token: TOKEN, prefix, reconnectDelayMs: 20, maxReconnectDelayMs: 200 };
  const onError = (error: unknown) => errors.push(error);
  return {
    errors,
    sessions: new UpstashSessionStore({ client: client(url), prefix }),
    events: new UpstashEventStore({ client: client(url), prefix }),
    managerA: new UpstashStreamManager({ client: client(url), ...options, onError }),
    managerB: new UpstashStreamManager({ client: client(url), ...options, onError }),
  };
}

/** Every operation of every store fails with StoreUnavailableError. */
async function expectAllUnavailable(d: ReturnType<typeof deployment>): Promise<void> {
  const record = sampleRecord("down");
  const stores = { sessions: d.sessions, events: d.events, publisher: d.managerB, subscriber: d.managerA };
  await expectStoresUnavailable(stores, record, "down.get", TTL_MS);
  // A failed subscribe leaves nothing behind; the subscription made before the outage is kept.
  expect(d.managerA.channelCount).toBe(1);
}

/** Service is back: writes, reads, the old subscription (reopened by itself) and new ones work. */
async function expectRecovered(d: ReturnType<typeof deployment>, got: string[]): Promise<void> {
  const record = sampleRecord("back");
  await eventually(() => d.sessions.set(record, TTL_MS));
  expect((await d.sessions.get(record.id, TTL_MS))?.id).toBe(record.id);
  const eventId = await d.events.append("back.get", note);
  expect((await d.events.replayAfter(d.events.startOf("back.get")))?.events).toEqual([{ id: eventId, message: note }]);
  await expectPubSubRecovered(d.managerA, d.managerB, got);
  await d.managerB.close();
}

describe("the bridge (the REST endpoint) stopped and restarted", () => {
  let server: RedisServer;
  let bridge: UpstashBridge;
  beforeAll(async () => {
    server = await startRedisServer();
    bridge = await startUpstashBridge({ redisUrl: server.url, token: TOKEN });
  });
  afterAll(async () => {
    await bridge?.close();
    await server?.stop();
  });

  it("fails with StoreUnavailableError while it is down, and recovers by itself", async () => {
    const port = bridge.port;
    const d = deployment(bridge.url);
    const got: string[] = [];
    await d.managerA.subscribe("news", (message) => got.push(message));
    await d.managerB.publish("news", "before");
    await eventually(() => expect(got).toEqual(["before"]));

    await bridge.close();

    await expectAllUnavailable(d);

    // The same address again, as when a local endpoint comes back.
    bridge = await eventually(() => startUpstashBridge({ redisUrl: server.url, token: TOKEN, port }));

    await expectRecovered(d, got);
    // The lost stream was reported, not thrown.
    expect(d.errors.length).toBeGreaterThan(0);
    expect(got.filter((message) => message === "lost")).toEqual([]);
  });
});

describe("redis-server behind the bridge stopped and restarted", () => {
  let server: RedisServer;
  let bridge: UpstashBridge;
  beforeAll(async () => {
    server = await startRedisServer();
    bridge = await startUpstashBridge({ redisUrl: server.url, token: TOKEN, onError: () => {} });
  });
  afterAll(async () => {
    await bridge?.close();
    await server?.stop();
  });

  it("fails with StoreUnavailableError while it is down, and recovers by itself", async () => {
    const d = deployment(bridge.url);
    const got: string[] = [];
    await d.managerA.subscribe("news", (message) => got.push(message));
    await d.managerB.publish("news", "before");
    await eventually(() => expect(got).toEqual(["before"]));

    await server.stop();

    // The bridge answers 503 at once; the bridge notices the closed socket by itself first.
    await waitForOutage(d.sessions, TTL_MS);
    await expectAllUnavailable(d);

    await server.restart();

    await expectRecovered(d, got);
    expect(d.errors.length).toBeGreaterThan(0);
  });
});
