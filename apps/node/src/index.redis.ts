// Node.js with sessions in Redis: they survive restarts, and several instances behind a load
// balancer serve any request (notifications and replies cross instances over pub/sub).
import { McpServer } from "@mcp-edge/core";
import { serve } from "@mcp-edge/node";
import { RedisEventStore, RedisSessionStore, RedisStreamManager } from "@mcp-edge/redis";
import { createClient } from "redis";
import { defineTools, SERVER_INFO } from "./tools.js";

// Without the offline queue a request fails fast (503) while Redis is unreachable instead of hanging.
const client = createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", disableOfflineQueue: true });
const pubSubClient = client.duplicate();
await Promise.all([client.connect(), pubSubClient.connect()]);

const server = defineTools(
  new McpServer({
    ...SERVER_INFO,
    sessionStore: new RedisSessionStore({ client }),
    streamManager: new RedisStreamManager({ client, pubSubClient }),
    eventStore: new RedisEventStore({ client }),
  }),
);
const { url } = await serve(server, {
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? "127.0.0.1",
});
console.log(`MCP server at ${url}/mcp, sessions in Redis`);
