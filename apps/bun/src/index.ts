// Bun: `bun run src/index.ts` serves the default export. Bun binds every interface unless told, so
// the hostname below keeps the server on loopback; set HOST (and MCP_ALLOWED_HOSTS) to expose it.
import { McpServer } from "@mcp-edge/core";
import { defineTools, SERVER_INFO } from "./tools.ts";

const server = defineTools(new McpServer(SERVER_INFO));

export default {
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  fetch: server.fetch,
};
