/**
 * MCP_STORE=redis and MCP_STORE=upstash on the built Node entry, against a real redis-server (and the Upstash
 * REST bridge in front of it): the store is used, an unreachable store does not stop startup (503 until it is
 * there, then service by itself), and a SIGTERM shuts down cleanly with the store's connections closed.
 * (The distributed and persistent patterns themselves are proven in distributed-tests/.)
 */

import {
  type ExampleServer,
  freePort,
  type RedisServer,
  startExampleServer,
  startRedisServer,
} from "@mcp-edge/test-support";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createClient } from "redis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { JSON_AND_SSE, post, readSingle, rpc } from "./harness.js";

const INITIALIZE = rpc(1, "initialize", {
  protocolVersion: "2025-11-25",
  capabilities: {},
  clientInfo: { name: "store-test", version: "1.0.0" },
});

const running: ExampleServer[] = [];
const redisServers: RedisServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});
afterAll(async () => {
  await Promise.all(redisServers.map((server) => server.destroy()));
});

async function start(env: Record<string, string>): Promise<ExampleServer> {
  const server = await startExampleServer({ env: { MCP_MODE: "stateful", ...env } });
  running.push(server);
  return server;
}

async function redisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const server = await startRedisServer(options);
  redisServers.push(server);
  return server;
}

/** SIGTERM, and how the process ended. */
async function stopped(server: ExampleServer): Promise<{ code: number | null; signal: string | null }> {
  await server.stop();
  return { code: server.child.exitCode, signal: server.child.signalCode };
}

async function whoamiThroughSdk(url: string): Promise<{ instanceId: string; sessionId: string | null }> {
  const client = new Client({ name: "store-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const result = await client.callTool({ name: "whoami", arguments: {} });
    return result.structuredContent as { instanceId: string; sessionId: string | null };
  } finally {
    await client.close();
  }
}

describe("MCP_STORE=redis", () => {
  it("keeps its sessions in Redis, under MCP_STORE_PREFIX, and shuts down cleanly", async () => {
    const redis = await redisServer();
    const server = await start({
      MCP_STORE: "redis",
      REDIS_URL: redis.url,
      MCP_STORE_PREFIX: "store-test:",
      MCP_INSTANCE_ID: "solo",
    });
    expect(server.stdout()).toContain(`store: redis (${redis.url}), instance: solo`);
    const { instanceId, sessionId } = await whoamiThroughSdk(server.url);
    expect(instanceId).toBe("solo");
    const inspector = createClient({ url: redis.url });
    await inspector.connect();
    try {
      expect(await inspector.exists(`store-test:session:${sessionId}`)).toBe(1);
    } finally {
      inspector.destroy();
    }
    expect(await stopped(server)).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toBe("");
  });

  it("starts while Redis is unreachable, answers 503, and serves once Redis is there, by itself", async () => {
    const port = await freePort();
    const server = await start({ MCP_STORE: "redis", REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(server.stderr()).toMatch(/redis at redis:\/\/127\.0\.0\.1:\d+ unreachable \(.*ECONNREFUSED.*\)/);

    const refused = await post(server.url, INITIALIZE, { accept: JSON_AND_SSE });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await readSingle(refused)).error).toMatchObject({
      code: -32003,
      message: expect.stringMatching(/session store unavailable/i),
    });

    await redisServer({ port });
    // The clients reconnect on their own (backoff of at most 2 s): poll until a session is handed out.
    for (;;) {
      const response = await post(server.url, INITIALIZE, { accept: JSON_AND_SSE });
      if (response.status === 200) {
        expect(response.headers.get("mcp-session-id")).toMatch(/^[0-9a-f]{32}$/);
        await response.body?.cancel();
        break;
      }
      expect(response.status).toBe(503);
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await whoamiThroughSdk(server.url)).sessionId).toMatch(/^[0-9a-f]{32}$/);
    expect(server.stdout()).toMatch(/reachable again/);
    // One report per connection for the whole outage, however many reconnect attempts it took.
    expect(server.stderr().match(/unreachable/g)).toHaveLength(2);
    expect(await stopped(server)).toEqual({ code: 0, signal: null });
  });

  it("shuts down cleanly while Redis is unreachable", async () => {
    const port = await freePort();
    const server = await start({ MCP_STORE: "redis", REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(await stopped(server)).toEqual({ code: 0, signal: null });
    expect(server.stderr()).not.toMatch(/unhandled|uncaught|Error:/i);
  });
});

describe("MCP_STORE=upstash (through the Upstash REST bridge over redis-server)", () => {
  let bridge: UpstashBridge | undefined;
  afterAll(async () => {
    await bridge?.close();
  });

  it("keeps its sessions in the database and shuts down cleanly", async () => {
    const redis = await redisServer();
    bridge = await startUpstashBridge({ redisUrl: redis.url, token: "example-token" });
    const server = await start({
      MCP_STORE: "upstash",
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: "example-token",
      MCP_STORE_PREFIX: "upstash-test:",
    });
    expect(server.stdout()).toContain(`store: upstash (${bridge.url})`);
    expect(server.stdout()).not.toContain("example-token");
    const { sessionId } = await whoamiThroughSdk(server.url);
    const inspector = createClient({ url: redis.url });
    await inspector.connect();
    try {
      expect(await inspector.exists(`upstash-test:session:${sessionId}`)).toBe(1);
    } finally {
      inspector.destroy();
    }
    expect(await stopped(server)).toEqual({ code: 0, signal: null });
  });

  it("refuses a wrong token with 503s (the store is unusable), and stays up", async () => {
    const redis = await redisServer();
    const own = await startUpstashBridge({ redisUrl: redis.url, token: "right" });
    try {
      const server = await start({
        MCP_STORE: "upstash",
        UPSTASH_REDIS_REST_URL: own.url,
        UPSTASH_REDIS_REST_TOKEN: "not-the-token-0451",
      });
      const refused = await post(server.url, INITIALIZE, { accept: JSON_AND_SSE });
      expect(refused.status).toBe(503);
      expect((await readSingle(refused)).error?.code).toBe(-32003);
      expect(server.stderr()).toMatch(/upstash at http:\/\/127\.0\.0\.1:\d+ unreachable/);
      expect(server.stderr()).not.toContain("not-the-token-0451");
      expect(await stopped(server)).toEqual({ code: 0, signal: null });
    } finally {
      await own.close();
    }
  });
});
