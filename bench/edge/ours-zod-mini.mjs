// Workers entry: mcp-edge's stateless preset with a zod/mini tool schema, advertised through
// zod's separate `toJSONSchema` (zod/mini schemas carry no converter of their own).
import { McpServer, withJsonSchema } from "@mcp-edge/core/stateless";
import * as z from "zod/mini";

const server = new McpServer({ name: "edge", version: "1.0.0" });
server.tool(
  "echo",
  { description: "Echoes its input text", input: withJsonSchema(z.object({ text: z.string() }), z.toJSONSchema) },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

export default server;
