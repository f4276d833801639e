// Node.js with sessions in Upstash Redis (HTTP): the same database can serve your edge deployments.
import { McpServer } from "@mcp-edge/core";
import { serve } from "@mcp-edge/node";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { Redis } from "@upstash/redis";
import { defineTools, SERVER_INFO } from "./tools.js";

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
const listening = await serve(server, {
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? "127.0.0.1",
});
console.log(`MCP server at ${listening.url}/mcp, sessions in Upstash`);
