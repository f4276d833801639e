// Cloudflare Workers with sessions in Durable Objects: one object per session holds its record and
// its event log; the Worker holds the client's streams.
import { createWorker, McpSessionObject, type SessionNamespace } from "@mcp-edge/cloudflare";
import { McpServer } from "@mcp-edge/core";
import { defineTools, SERVER_INFO } from "./tools.ts";

export { McpSessionObject };

interface Env {
  MCP_SESSIONS: SessionNamespace;
}

export default createWorker<Env>(defineTools(new McpServer(SERVER_INFO)), { sessions: (env) => env.MCP_SESSIONS });
