// Workers entry: mcp-edge's stateless preset with a zod 4 tool schema.
import { McpServer } from "@mcp-edge/core/stateless";
import { z } from "zod";

const server = new McpServer({ name: "edge", version: "1.0.0" });
server.tool(
  "echo",
  { description: "Echoes its input text", input: z.object({ text: z.string() }) },
  async ({ text }) => ({
    content: [{ type: "text", text }],
  }),
);

export default server;
