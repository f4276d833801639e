// Vercel Function on the Node.js runtime (Vercel's default and recommendation), reached at /mcp
// through the rewrite in vercel.json. Stateless unless a store is configured: instances share no memory.
import { McpServer } from "@mcp-edge/core/stateless";
import { handlers } from "@mcp-edge/vercel";
import { defineTools, SERVER_INFO } from "../src/tools.js";

// path: null answers on whichever path the rewrite delivers.
const server = defineTools(new McpServer({ ...SERVER_INFO, path: null }));

export const { GET, POST, DELETE, OPTIONS } = handlers(server);
