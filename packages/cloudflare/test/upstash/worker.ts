/**
 * A Worker keeping its sessions in Upstash (`@upstash/redis/cloudflare` and `@mcp-edge/upstash`), as
 * the package README wires it, with tools that make one request reach another's streams: a
 * notification for the session's GET stream, and a call that drops its POST stream mid-way and
 * finishes, when told to, after the client resumed it with Last-Event-ID.
 */
import { McpServer } from "@mcp-edge/core";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "@mcp-edge/upstash";
import { Redis } from "@upstash/redis/cloudflare";
import { createWorker } from "../../src/index.js";

interface Env {
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
}

/** Calls of drop_and_finish waiting for release_drop (one isolate serves every request here). */
const releases: (() => void)[] = [];

export default createWorker<Env>((env) => {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  const client = new Redis({ url, token, enableTelemetry: false });
  const server = new McpServer({
    name: "cf-upstash",
    version: "1.0.0",
    stateless: false,
    sessionStore: new UpstashSessionStore({ client }),
    streamManager: new UpstashStreamManager({ client, url, token }),
    eventStore: new UpstashEventStore({ client }),
  });
  server.tool(
    "notify_session",
    { description: "Sends a log message on this session's GET stream" },
    async (_args, ctx) => {
      if (ctx.sessionId === undefined) throw new Error("no session");
      await server.sendNotificationToSession(ctx.sessionId, "notifications/message", {
        level: "info",
        data: "for the GET stream",
      });
      return { content: [{ type: "text", text: "sent" }] };
    },
  );
  server.tool(
    "drop_and_finish",
    { description: "Closes its POST stream, then answers once `release_drop` is called" },
    async (_args, ctx) => {
      await ctx.log("info", "before the drop");
      ctx.closeSSEStream();
      // The rest comes only after the client resumed, so it must travel live to the resumed stream.
      await new Promise<void>((resolve) => {
        releases.push(resolve);
      });
      await ctx.log("info", "after the drop");
      return { content: [{ type: "text", text: "finished after the drop" }] };
    },
  );
  server.tool("release_drop", { description: "Lets every waiting drop_and_finish answer" }, () => {
    for (const release of releases.splice(0)) release();
    return { content: [{ type: "text", text: "released" }] };
  });
  return server;
});
