// The tool every mcp-edge Workers entry registers: `echo` with a plain JSON Schema input (no zod).
export function addEchoTool(server) {
  server.tool(
    "echo",
    {
      description: "Echoes its input text",
      input: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    },
    async ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}
