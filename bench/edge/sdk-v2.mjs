// Workers entry: official SDK v2 2.4, createMcpHandler (modern 2026-07-28 + stateless 2025 fallback).
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";

export default createMcpHandler(() => {
  const server = new McpServer({ name: "edge", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Echoes its input text", inputSchema: z.object({ text: z.string() }) },
    async ({ text }) => ({
      content: [{ type: "text", text }],
    }),
  );
  return server;
});
