// Our server definition for every mcp-edge lane: one `echo` tool with a plain JSON Schema input
// (no zod), served by @mcp-edge/node (or, for the diagnostic lane, by @hono/node-server directly).
import { McpServer } from "@mcp-edge/core";
import { serve } from "@mcp-edge/node";
import { HOST, lanePort, ready, serveFetch } from "./_lane.mjs";

export function oursServer(options = {}) {
  const server = new McpServer({ name: "bench-mcp-edge", version: "1.0.0", ...options });
  server.tool(
    "echo",
    {
      description: "Echoes its input text",
      input: {
        type: "object",
        properties: { text: { type: "string" } },
        required: ["text"],
        additionalProperties: false,
      },
    },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}

/** Serves with the platform entry users use on Node (`@mcp-edge/node`). */
export async function serveOurs(server) {
  const port = lanePort();
  await serve(server, { port, hostname: HOST });
  ready(port);
}

/** Serves with the bare bridge the floor uses: isolates the core's cost from the Node entry's. */
export function serveOursBare(server) {
  serveFetch(server.fetch);
}
