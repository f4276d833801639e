// Cloudflare Workers, stateless: every request independent, nothing stored, any isolate serves it.
// The stateless preset leaves the session code out of the bundle.
import { createWorker } from "@mcp-edge/cloudflare";
import { McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.ts";

// createWorker reads the public host names from the MCP_ALLOWED_HOSTS var (wrangler.toml).
export default createWorker(defineTools(new McpServer(SERVER_INFO)));
