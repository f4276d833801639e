// Workers entry: mcp-edge's stateless preset (what a Worker runs by default) with a plain JSON Schema
// tool (no zod in the bundle).
import { McpServer } from "@mcp-edge/core/stateless";

const server = new McpServer({ name: "edge", version: "1.0.0" });
server.tool(
  "echo",
  {
    description: "Echoes its input text",
    input: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

export default server;
