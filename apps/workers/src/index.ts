// Cloudflare Workers, stateless: every request independent, nothing stored, any isolate serves it.
// The stateless preset leaves the session code out of the bundle.
import { createWorker } from "@mcp-edge/cloudflare";
import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.ts";

// createWorker reads the public host names from the MCP_ALLOWED_HOSTS var (wrangler.toml).
// `lane2026` serves MCP 2026-07-28 clients too; without it the bundle is smaller and speaks 2025 only.
export default createWorker(defineTools(new McpServer({ ...SERVER_INFO, lane2026 })));
