/**
 * @mcp-edge/node: serve any Web Fetch handler (an `McpServer`, a Hono app, a plain function) on Node.js.
 *
 * The Node <-> Fetch translation is `@hono/node-server`'s request listener; this package adds what a
 * long-lived MCP server needs around it: SSE bodies that stream chunk by chunk, `request.signal` aborted
 * when the client goes away, and a graceful shutdown that drains in-flight requests and ends open streams.
 */
export { serve } from "./serve.js";
export type {
  FetchHandler,
  FetchHandlerFunction,
  FetchHandlerObject,
  ListenInfo,
  ServeOptions,
  ServerHandle,
} from "./types.js";
