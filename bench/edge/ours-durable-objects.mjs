// Workers entry: the full preset with sessions in Durable Objects (`createWorker(server, { sessions })`
// and the object class wrangler binds), plain JSON Schema tool. Needs its bindings to answer, so the
// bench reports its size only.
import { createWorker, McpSessionObject } from "@mcp-edge/cloudflare";
import { McpServer } from "@mcp-edge/core";
import { addEchoTool } from "./_echo.mjs";

export { McpSessionObject };
export default createWorker(addEchoTool(new McpServer({ name: "edge", version: "1.0.0" })), {
  sessions: (env) => env.MCP_SESSIONS,
});
