// Workers entry: mcp-lite 0.10 with a zod schema (its documented setup). The same tool and the same
// zod import (`zod/v4`) as the `ours-zod` entry.
import { McpServer, StreamableHttpTransport } from "mcp-lite";
import { z } from "zod/v4";

const mcp = new McpServer({ name: "edge", version: "1.0.0", schemaAdapter: (schema) => z.toJSONSchema(schema) });
mcp.tool("echo", {
  description: "Echoes its input text",
  inputSchema: z.object({ text: z.string() }),
  handler: async ({ text }) => ({ content: [{ type: "text", text }] }),
});
const handler = new StreamableHttpTransport().bind(mcp);

export default { fetch: (request) => handler(request) };
