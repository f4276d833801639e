// Deno and Deno Deploy: `deno serve` takes the default export. Stateless unless a store is configured
// (isolates share no memory); see main.deno-kv.ts and main.upstash.ts for sessions.
import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.ts";

// `lane2026` serves MCP 2026-07-28 clients too; without it the bundle is smaller and speaks 2025 only.
export default defineTools(new McpServer({ ...SERVER_INFO, lane2026 }));
