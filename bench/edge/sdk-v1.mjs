// Workers entry: official SDK v1 1.32, stateless (server + Web Standard transport per request).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { z } from "zod";

export default {
  async fetch(request) {
    const server = new McpServer({ name: "edge", version: "1.0.0" });
    server.registerTool(
      "echo",
      { description: "Echoes its input text", inputSchema: { text: z.string() } },
      async ({ text }) => ({
        content: [{ type: "text", text }],
      }),
    );
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    return transport.handleRequest(request);
  },
};
