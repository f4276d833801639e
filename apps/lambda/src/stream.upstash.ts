// AWS Lambda (streaming Function URL) with sessions in Upstash Redis: any instance serves any request.
import { streamHandle } from "@mcp-edge/aws-lambda";
import { McpServer } from "@mcp-edge/core";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { Redis } from "@upstash/redis";
import { defineTools, SERVER_INFO } from "./tools.js";

const url = process.env.UPSTASH_REDIS_REST_URL;
const token = process.env.UPSTASH_REDIS_REST_TOKEN;
if (!url || !token) throw new Error("Set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN");
const client = new Redis({ url, token, enableTelemetry: false });

export const handler = streamHandle(
  defineTools(
    new McpServer({
      ...SERVER_INFO,
      sessionStore: new UpstashSessionStore({ client }),
      streamManager: new UpstashStreamManager({ client, url, token }),
      eventStore: new UpstashEventStore({ client }),
      // Below the function's Timeout (template.yaml), so long streams end in time for clients to resume.
      maxStreamDurationMs: 800_000,
    }),
  ),
);
