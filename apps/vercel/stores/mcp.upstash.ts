// Vercel Function (Node.js runtime) with sessions in Upstash Redis, so any instance serves any request.
import { McpServer } from "@mcp-edge/core";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { handlers } from "@mcp-edge/vercel";
import { Redis } from "@upstash/redis";
import { defineTools, SERVER_INFO } from "../src/tools.js";

const url = process.env.UPSTASH_REDIS_REST_URL;
const token = process.env.UPSTASH_REDIS_REST_TOKEN;
if (!url || !token) throw new Error("Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN");
const client = new Redis({ url, token, enableTelemetry: false });

const server = defineTools(
  new McpServer({
    ...SERVER_INFO,
    path: null,
    sessionStore: new UpstashSessionStore({ client }),
    streamManager: new UpstashStreamManager({ client, url, token }),
    eventStore: new UpstashEventStore({ client }),
    // End SSE streams before the function's maxDuration (vercel.json) so clients resume in time.
    maxStreamDurationMs: 50_000,
  }),
);

export const { GET, POST, DELETE, OPTIONS } = handlers(server);
