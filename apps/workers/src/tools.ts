// The server definition: the same on every platform. Tool inputs are plain JSON Schema, validated by
// the core, which keeps an edge bundle smallest; zod/mini or valibot work too (see @mcp-edge/core).
import type { McpServerCore } from "@mcp-edge/core";

export const SERVER_INFO = { name: "my-mcp-server", version: "0.1.0" };

export function defineTools<S extends McpServerCore>(server: S): S {
  server.tool(
    "add",
    {
      description: "Add two numbers",
      input: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
    },
    async (args, ctx) => {
      // The arguments were validated against the schema above before this runs.
      const { a, b } = args as { a: number; b: number };
      await ctx.progress(1, 2, "adding");
      const sum = a + b;
      await ctx.progress(2, 2, "done");
      return { content: [{ type: "text", text: String(sum) }] };
    },
  );
  server.tool(
    "announce",
    {
      description: "Send a message to this session's notification stream (needs a session)",
      input: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    },
    async (args, ctx) => {
      const { message } = args as { message: string };
      if (ctx.sessionId === undefined) {
        return { isError: true, content: [{ type: "text", text: "No session: this server runs stateless" }] };
      }
      // Delivered on the session's GET stream, on whichever instance holds it, and kept for replay.
      await server.sendNotificationToSession(ctx.sessionId, "notifications/message", {
        level: "info",
        logger: "announce",
        data: message,
      });
      return { content: [{ type: "text", text: "sent" }] };
    },
  );
  return server;
}
