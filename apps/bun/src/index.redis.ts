// Bun with sessions in Redis (node-redis runs on Bun): sessions survive restarts and cross instances.
import { McpServer } from "@mcp-edge/core";
import { RedisEventStore, RedisSessionStore, RedisStreamManager } from "@mcp-edge/redis";
import { createClient } from "redis";
import { defineTools, SERVER_INFO } from "./tools.ts";

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

export default {
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  fetch: server.fetch,
};
