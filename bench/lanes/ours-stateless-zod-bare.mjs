// mcp-edge stateless JSON with a zod tool schema, served as a user who brings their own server would:
// `server.fetch` handed to the plain @hono/node-server bridge the floor uses, no @mcp-edge/node.
import { McpServer } from "@mcp-edge/core";
import { z } from "zod";
import { serveFetch } from "./_lane.mjs";

const server = new McpServer({ name: "bench-mcp-edge", version: "1.0.0", stateless: true });
server.tool(
  "echo",
  { description: "Echoes its input text", input: z.object({ text: z.string() }) },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);

serveFetch(server.fetch);
