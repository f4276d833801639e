// Workers entry: the floor, a bare hono JSON endpoint.
import { Hono } from "hono";

const app = new Hono();
app.post("/mcp", async (c) => {
  const message = await c.req.json();
  return c.json({
    jsonrpc: "2.0",
    id: message.id,
    result: { content: [{ type: "text", text: message.params.arguments.text }] },
  });
});

export default app;
