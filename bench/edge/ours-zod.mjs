// Workers entry: mcp-edge with a zod 4 tool schema.
import { McpServer } from "@mcp-edge/core";
import { z } from "zod";

const server = new McpServer({ name: "edge", version: "1.0.0", stateless: true });
server.tool(
  "echo",
  { description: "Echoes its input text", input: z.object({ text: z.string() }) },
  async ({ text }) => ({
    content: [{ type: "text", text }],
  }),
);

export default server;
