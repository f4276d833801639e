// Workers entry: mcp-use 1.34 through its documented `getHandler()` (resolved from bench/peers/mcp-use).
import { MCPServer } from "mcp-use/server";
import { z } from "zod";

const server = new MCPServer({ name: "edge", version: "1.0.0", stateless: true });
server.tool(
  { name: "echo", description: "Echoes its input text", schema: z.object({ text: z.string() }) },
  async ({ text }) => ({
    content: [{ type: "text", text }],
  }),
);
const handler = await server.getHandler({ provider: "cloudflare" });

export default { fetch: handler };
