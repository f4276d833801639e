// Vercel Function on the Node.js runtime (Vercel's default and recommendation), reached at /mcp
// through the rewrite in vercel.json. Stateless unless a store is configured: instances share no memory.
import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { handlers } from "@mcp-edge/vercel";
import { defineTools, SERVER_INFO } from "../src/tools.js";

// path: null answers on whichever path the rewrite delivers.
// `lane2026` serves MCP 2026-07-28 clients too; without it the bundle is smaller and speaks 2025 only.
const server = defineTools(new McpServer({ ...SERVER_INFO, path: null, lane2026 }));

export const { GET, POST, DELETE, OPTIONS } = handlers(server);
