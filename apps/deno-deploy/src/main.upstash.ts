// Deno with sessions in Upstash Redis (HTTP).
import { McpServer } from "@mcp-edge/core";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { Redis } from "@upstash/redis";
import { defineTools, SERVER_INFO } from "./tools.ts";

const url = Deno.env.get("UPSTASH_REDIS_REST_URL");
const token = Deno.env.get("UPSTASH_REDIS_REST_TOKEN");
if (!url || !token) throw new Error("Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN");
const client = new Redis({ url, token, enableTelemetry: false });

export default defineTools(
  new McpServer({
    ...SERVER_INFO,
    sessionStore: new UpstashSessionStore({ client }),
    streamManager: new UpstashStreamManager({ client, url, token }),
    eventStore: new UpstashEventStore({ client }),
  }),
);
