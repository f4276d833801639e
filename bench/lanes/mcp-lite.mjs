// mcp-lite 0.10, stateless (no session adapter), zod schema through its Standard Schema support.
// It answers JSON to `Accept: application/json` and SSE when the client accepts text/event-stream;
// the lanes differ only in what the client sends.
import { McpServer, StreamableHttpTransport } from "mcp-lite";
import { z } from "zod";
import { serveFetch } from "./_lane.mjs";

const mcp = new McpServer({
  name: "bench-mcp-lite",
  version: "1.0.0",
  schemaAdapter: (schema) => z.toJSONSchema(schema),
});
mcp.tool("echo", {
  description: "Echoes its input text",
  inputSchema: z.object({ text: z.string() }),
  handler: ({ text }) => ({ content: [{ type: "text", text }] }),
});

const handler = new StreamableHttpTransport().bind(mcp);
serveFetch((request) => handler(request));
