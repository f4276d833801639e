// Official SDK v1 (@modelcontextprotocol/sdk 1.32), stateless: the documented pattern of a new
// McpServer and transport for every request (sessionIdGenerator undefined), on plain node:http.
// JSON answers (enableJsonResponse), like our stateless JSON lane.
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { HOST, lanePort, ready } from "./_lane.mjs";

function makeServer() {
  const server = new McpServer({ name: "bench-sdk-v1", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Echoes its input text", inputSchema: { text: z.string() } },
    async ({ text }) => ({
      content: [{ type: "text", text }],
    }),
  );
  return server;
}

const port = lanePort();
const http = createServer(async (req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405, { allow: "POST" }).end();
    return;
  }
  const server = makeServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => {
    transport.close();
    server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500).end();
  }
});
http.listen(port, HOST, () => ready(port));
process.once("SIGTERM", () => http.close(() => process.exit(0)));
