// The same server on Vercel's Edge runtime, reached at /mcp-edge. Outside Next.js a function picks the
// runtime with `config`; Vercel recommends the Node.js runtime (api/mcp.ts) unless you need Edge.
import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { handlers } from "@mcp-edge/vercel";
import { defineTools, SERVER_INFO } from "../src/tools.js";

export const config = { runtime: "edge" };

// `lane2026` serves MCP 2026-07-28 clients too; without it the bundle is smaller and speaks 2025 only.
const server = defineTools(new McpServer({ ...SERVER_INFO, path: null, lane2026 }));

export const { GET, POST, DELETE, OPTIONS } = handlers(server);
