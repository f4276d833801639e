// The per-connection buffer limit holds when a GET stream is fed through Redis pub/sub from another
// instance: the holder ends the connection of a client that stopped reading and frees its slot.
import { McpServer } from "@mcp-edge/core";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { initializeBody } from "@mcp-edge/test-support/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisEventStore, RedisSessionStore, RedisStreamManager } from "../src/index.js";
import { connectClient, type OpenClient, testPrefix } from "./clients.js";

const KIB = 1024;
const URL_ = "http://127.0.0.1/mcp";
const BOTH = "application/json, text/event-stream";

let redis: RedisServer;
const clients: OpenClient[] = [];
const servers: McpServer[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(clients.map((client) => client.close()));
  await redis?.stop();
});

async function instance(prefix: string): Promise<McpServer> {
  const open = async () => {
    const client = await connectClient("node-redis", redis.url);
    clients.push(client);
    return client.client;
  };
  const [client, pubSubClient] = [await open(), await open()];
  const server = new McpServer({
    name: "slow-reader",
    version: "1",
    stateless: false,
    keepAliveIntervalMs: 0,
    maxBufferedBytesPerStream: 64 * KIB,
    sessionStore: new RedisSessionStore({ client, prefix }),
    streamManager: new RedisStreamManager({ client, pubSubClient, prefix }),
    eventStore: new RedisEventStore({ client, prefix }),
  });
  servers.push(server);
  return server;
}

describe("a GET stream fed through Redis whose client never reads", () => {
  it("is ended by the instance holding it once the buffer limit is reached", async () => {
    const prefix = testPrefix();
    const holder = await instance(prefix);
    const publisher = await instance(prefix);
    const initialize = await holder.fetch(
      new Request(URL_, {
        method: "POST",
        headers: { "content-type": "application/json", accept: BOTH },
        body: initializeBody(),
      }),
    );
    const sessionId = initialize.headers.get("mcp-session-id") ?? "";
    await initialize.text();
    const headers = { accept: "text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" };
    const unread = await holder.fetch(new Request(URL_, { headers }));
    expect(unread.status).toBe(200);

    const payload = "x".repeat(KIB);
    for (let i = 0; i < 400; i++) {
      await publisher.sendNotificationToSession(sessionId, "notifications/message", { level: "info", data: payload });
    }
    // Pub/sub delivery is asynchronous: wait until the holder has let the connection go.
    let status = 409;
    for (let attempt = 0; attempt < 200 && status === 409; attempt++) {
      const again = await holder.fetch(new Request(URL_, { headers }));
      status = again.status;
      await again.body?.cancel();
      if (status === 409) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
    // The unread connection was cut, not closed cleanly: its queue was dropped.
    await expect(unread.text()).rejects.toThrow();
  });
});
