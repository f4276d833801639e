// The same server on Vercel's Edge runtime, reached at /mcp-edge. Outside Next.js a function picks the
// runtime with `config`; Vercel recommends the Node.js runtime (api/mcp.ts) unless you need Edge.
import { McpServer } from "@mcp-edge/core/stateless";
import { handlers } from "@mcp-edge/vercel";
import { defineTools, SERVER_INFO } from "../src/tools.js";

export const config = { runtime: "edge" };

const server = defineTools(new McpServer({ ...SERVER_INFO, path: null }));

export const { GET, POST, DELETE, OPTIONS } = handlers(server);
