// Deno and Deno Deploy: `deno serve` takes the default export. Stateless unless a store is configured
// (isolates share no memory); see main.deno-kv.ts and main.upstash.ts for sessions.
import { McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.ts";

export default defineTools(new McpServer(SERVER_INFO));
