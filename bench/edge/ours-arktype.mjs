// Workers entry: mcp-edge's stateless preset with an arktype tool schema (Standard JSON Schema built in).
import { McpServer } from "@mcp-edge/core/stateless";
import { type } from "arktype";

const server = new McpServer({ name: "edge", version: "1.0.0" });
server.tool("echo", { description: "Echoes its input text", input: type({ text: "string" }) }, async ({ text }) => ({
  content: [{ type: "text", text }],
}));

export default server;
