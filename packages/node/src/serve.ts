import { createDrainableServer } from "./drainable-server.js";
import { applyEnvAllowLists } from "./env-defaults.js";
import { listen } from "./listen.js";
import { OpenStreams } from "./open-streams.js";
import { createRequestListener } from "./request-listener.js";
import { closeOnShutdownRequests } from "./shutdown-requests.js";
import type { FetchHandler, ServeOptions, ServerHandle } from "./types.js";

const DEFAULT_PORT = 3000;
const DEFAULT_HOSTNAME = "127.0.0.1";
const DEFAULT_GRACEFUL_SHUTDOWN_MS = 10_000;

/**
 * Serve `handler` over HTTP/1.1 on Node. Resolves once the port is bound (rejects if it cannot be, e.g.
 * EADDRINUSE), so `const { port } = await serve(server, { port: 0 })` is race-free.
 */
export async function serve(handler: FetchHandler, options: ServeOptions = {}): Promise<ServerHandle> {
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  const gracefulShutdownMs = options.gracefulShutdownMs ?? DEFAULT_GRACEFUL_SHUTDOWN_MS;
  applyEnvAllowLists(handler);

  // Open SSE bodies: a shutdown ends them cleanly instead of waiting for streams that never finish.
  const closeOwner = typeof handler === "function" ? undefined : handler.close?.bind(handler);
  const openStreams = new OpenStreams(closeOwner);
  const listener = createRequestListener(handler, hostname, openStreams, options.overrideGlobalObjects ?? true);
  const { server, drain } = createDrainableServer(listener, openStreams, gracefulShutdownMs);

  const info = await listen(server, options.port ?? DEFAULT_PORT, hostname);
  const close = closeOnShutdownRequests(drain, options);

  options.onListen?.(info);

  return {
    address: info.address,
    port: info.port,
    url: `http://${info.family === "IPv6" ? `[${info.address}]` : info.address}:${info.port}`,
    server,
    close,
  };
}
