// mcp-use 1.34 (its own install root, bench/peers/mcp-use: see bench/README.md), served by its own
// `listen()`. MCP_USE_STATELESS=1 selects `stateless: true`; otherwise sessions are kept in memory.
// Its modules are loaded from the peer root so that it and the zod it sees are the ones it installed.
import { HOST, lanePort, ready } from "./_lane.mjs";

const peerModules = new URL("../peers/mcp-use/node_modules/", import.meta.url);
const esm = (pkg, file) => new URL(`${pkg}/${file}`, peerModules).href;

// Production mode, always (vitest sets NODE_ENV=test): otherwise listen() writes generated tool types
// into the cwd and mounts widgets in dev mode, which needs vite.
process.env.NODE_ENV = "production";
process.env.MCP_USE_ANONYMIZED_TELEMETRY ??= "false";
process.env.HOST ??= HOST;

const { MCPServer } = await import(esm("mcp-use", "dist/src/server/index.js"));
const { z } = await import(esm("zod", "index.js"));

const stateless = process.env.MCP_USE_STATELESS === "1";
const server = new MCPServer({ name: "bench-mcp-use", version: "1.0.0", host: HOST, stateless });
server.tool(
  { name: "echo", description: "Echoes its input text", schema: z.object({ text: z.string() }) },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

const port = lanePort();
await server.listen(port);
ready(port);
