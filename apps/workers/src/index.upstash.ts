// Cloudflare Workers with sessions in Upstash Redis: one database shared with servers elsewhere.
import { createWorker } from "@mcp-edge/cloudflare";
import { McpServer } from "@mcp-edge/core";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { Redis } from "@upstash/redis/cloudflare";
import { defineTools, SERVER_INFO } from "./tools.ts";

interface Env {
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
}

export default createWorker<Env>((env) => {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  const client = new Redis({ url, token, enableTelemetry: false });
  return defineTools(
    new McpServer({
      ...SERVER_INFO,
      sessionStore: new UpstashSessionStore({ client }),
      streamManager: new UpstashStreamManager({ client, url, token }),
      eventStore: new UpstashEventStore({ client }),
    }),
  );
});
