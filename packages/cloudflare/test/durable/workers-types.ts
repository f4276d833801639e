// Compile-time only (typechecked with the package, never run): the real Workers types fit this
// package's structural ones, so a Worker typed with @cloudflare/workers-types wires sessions and
// binds the object class without casts. The module form of the types declares no globals.
import type { DurableObjectNamespace, DurableObjectState } from "@cloudflare/workers-types/index.ts";
import { McpServer } from "@mcp-edge/core";
import { createWorker, McpSessionObject, type ObjectState } from "../../src/index.js";

interface Env {
  MCP_SESSIONS: DurableObjectNamespace;
}

export const worker = createWorker<Env>(new McpServer({ name: "typed", version: "1.0.0" }), {
  sessions: (env) => env.MCP_SESSIONS,
});

export function objectFromRealState(state: DurableObjectState): McpSessionObject {
  const fits: ObjectState = state;
  return new McpSessionObject(fits, {});
}
