// Workers entry: the same server from `@mcp-edge/core` (sessions available: in-memory stores, GET
// streams, resumability), configured stateless. Shows what the session machinery adds to a bundle.
import { McpServer } from "@mcp-edge/core";

const server = new McpServer({ name: "edge", version: "1.0.0", stateless: true });
server.tool(
  "echo",
  {
    description: "Echoes its input text",
    input: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

export default server;
