// Node.js: the server on loopback (127.0.0.1) unless HOST says otherwise. Sessions live in memory,
// so they end when the process does; see index.redis.ts / index.upstash.ts for shared stores.
import { McpServer } from "@mcp-edge/core";
import { serve } from "@mcp-edge/node";
import { defineTools, SERVER_INFO } from "./tools.js";

const server = defineTools(new McpServer(SERVER_INFO));
const { url } = await serve(server, {
  port: Number(process.env.PORT ?? 3000),
  // A public address needs its host names too: MCP_ALLOWED_HOSTS or the server's allowedHosts.
  hostname: process.env.HOST ?? "127.0.0.1",
});
console.log(`MCP server at ${url}/mcp`);
