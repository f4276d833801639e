// Official SDK v2 (@modelcontextprotocol/server 2.4): createMcpHandler with a per-request server
// factory. 2026-07-28 requests take the modern path; 2025 requests (no `_meta` envelope) take its
// stateless legacy fallback. One lane file serves both; the lanes differ in what the client sends.
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { serveFetch } from "./_lane.mjs";

const input = z.object({ text: z.string() });

function factory() {
  const server = new McpServer({ name: "bench-sdk-v2", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes its input text", inputSchema: input }, async ({ text }) => ({
    content: [{ type: "text", text }],
  }));
  return server;
}

const handler = createMcpHandler(factory, { onerror: (error) => console.error(error) });
serveFetch(handler.fetch);
