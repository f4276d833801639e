// Workers entry: mcp-edge's stateless preset with a valibot tool schema (JSON Schema from
// @valibot/to-json-schema's Standard JSON Schema wrapper).
import { McpServer } from "@mcp-edge/core/stateless";
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import * as v from "valibot";

const server = new McpServer({ name: "edge", version: "1.0.0" });
server.tool(
  "echo",
  { description: "Echoes its input text", input: toStandardJsonSchema(v.object({ text: v.string() })) },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

export default server;
