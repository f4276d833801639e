// Workers entry: mcp-edge's stateless preset with a zod 4 tool schema. The same tool and the same zod
// import (`zod/v4`) as the mcp-lite entry, so the two sizes compare like for like.
import { McpServer } from "@mcp-edge/core/stateless";
import { z } from "zod/v4";

const server = new McpServer({ name: "edge", version: "1.0.0" });
server.tool(
  "echo",
  { description: "Echoes its input text", input: z.object({ text: z.string() }) },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

export default server;
