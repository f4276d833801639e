// The floor: a bare hono endpoint that parses the JSON-RPC body and returns a canned tools/call
// result (the input text put back in). No MCP library, no validation: what any HTTP JSON endpoint costs.
import { Hono } from "hono";
import { serveFetch } from "./_lane.mjs";

const app = new Hono();
app.post("/mcp", async (c) => {
  const message = await c.req.json();
  return c.json({
    jsonrpc: "2.0",
    id: message.id,
    result: { content: [{ type: "text", text: message.params.arguments.text }] },
  });
});

serveFetch(app.fetch);
