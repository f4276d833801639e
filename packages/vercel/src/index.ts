/**
 * @mcp-edge/vercel: an `McpServer` as Next.js App Router route handlers, on Vercel's Node.js and Edge
 * runtimes alike. Route handlers already speak Fetch (`Request -> Response`), so no translation is
 * needed (hono's `hono/vercel` adapter is the same one-line pass-through); what this adds is the
 * Vercel default mode and one export per HTTP method the MCP endpoint answers.
 */
import type { McpServerCore } from "@mcp-edge/core";
import { applyVercelDefaults } from "./defaults.js";

/**
 * A route handler. Next.js also passes a context (`{ params }`) as the second argument; the MCP endpoint
 * has no dynamic segments, so it is not read.
 */
export type RouteHandler = (request: Request) => Promise<Response>;

export interface RouteHandlers {
  /** The session's standalone SSE stream (stateful mode); 405 when stateless. */
  GET: RouteHandler;
  /** JSON-RPC requests, notifications and responses. */
  POST: RouteHandler;
  /** Ends a session (stateful mode); 405 when stateless. */
  DELETE: RouteHandler;
  /** CORS preflight when the server has `cors` configured; 405 otherwise. */
  OPTIONS: RouteHandler;
}

/**
 * Route handlers for `app/mcp/route.ts` (the core serves `/mcp` by default: for another route, set the
 * server's `path` to it, or `path: null`).
 *
 * With no `stateless` option and no `sessionStore`, the server is stateless: Vercel instances share no
 * memory, so an in-memory session would be lost on the next instance.
 *
 * @example export const { GET, POST, DELETE, OPTIONS } = handlers(server);
 */
export function handlers(server: McpServerCore): RouteHandlers {
  applyVercelDefaults(server);
  // A fresh arrow rather than `server.fetch` itself: Next.js passes `(request, context)`, and the
  // handler must not depend on what the core does with arguments beyond the request.
  const handler: RouteHandler = (request) => server.fetch(request);
  return { GET: handler, POST: handler, DELETE: handler, OPTIONS: handler };
}
