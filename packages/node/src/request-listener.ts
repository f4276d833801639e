import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener, RequestError } from "@hono/node-server";
import type { OpenStreams } from "./open-streams.js";
import type { FetchHandler, FetchHandlerFunction } from "./types.js";

/** Answers one Node request through the Fetch handler. */
export type NodeRequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<void>;

/**
 * The Node <-> Fetch translation (`@hono/node-server`'s), with every SSE body passed through `openStreams`
 * so a shutdown can end it.
 */
export function createRequestListener(
  handler: FetchHandler,
  hostname: string,
  openStreams: OpenStreams,
  overrideGlobalObjects: boolean,
): NodeRequestListener {
  const fetchHandler = toFunction(handler);
  // A handler that ends its own streams on shutdown (an McpServer) is called directly: no wrapper and
  // no extra promise per request. Any other handler's SSE bodies are passed through `openStreams`.
  const served = openStreams.ownedByHandler
    ? fetchHandler
    : async (request: Request) => {
        const response = await fetchHandler(request);
        if (!isEventStream(response)) return response;
        return new Response(openStreams.open(response.body), {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      };
  return getRequestListener(served, {
    hostname,
    // hono's lightweight Request/Response: the bridge then skips building undici objects per request,
    // which is most of the per-request cost of this bridge. Opt out with
    // `overrideGlobalObjects: false` if the process must keep Node's own globals.
    overrideGlobalObjects,
    errorHandler: (error: unknown) => {
      // A request Node could parse but the Fetch API cannot represent (bad Host, bad URL) is the client's fault.
      if (error instanceof RequestError) return new Response(null, { status: 400 });
      // The handler itself threw: log it here, because the client only ever sees a bare 500.
      console.error("@mcp-edge/node: handler threw", error);
      return new Response(null, { status: 500 });
    },
  });
}

function toFunction(handler: FetchHandler): FetchHandlerFunction {
  if (typeof handler === "function") return handler;
  // Called as a method so handlers that rely on `this` (an unbound class method) still work.
  return (request) => handler.fetch(request);
}

function isEventStream(response: Response): response is Response & { body: ReadableStream<Uint8Array> } {
  // Headers first: reading `body` makes hono's lightweight Response build a full one, which is the
  // cost the lightweight path exists to avoid on every JSON answer.
  const type = response.headers.get("content-type") ?? "";
  return type.toLowerCase().startsWith("text/event-stream") && response.body !== null;
}
