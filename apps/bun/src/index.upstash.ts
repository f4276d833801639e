// Bun with sessions in Upstash Redis (HTTP).
import { McpServer } from "@mcp-edge/core";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { Redis } from "@upstash/redis";
import { defineTools, SERVER_INFO } from "./tools.ts";

const url = process.env.UPSTASH_REDIS_REST_URL;
const token = process.env.UPSTASH_REDIS_REST_TOKEN;
if (!url || !token) throw new Error("Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN");
const client = new Redis({ url, token, enableTelemetry: false });

const server = defineTools(
  new McpServer({
    ...SERVER_INFO,
    sessionStore: new UpstashSessionStore({ client }),
    streamManager: new UpstashStreamManager({ client, url, token }),
    eventStore: new UpstashEventStore({ client }),
  }),
);

export default {
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  fetch: server.fetch,
};
