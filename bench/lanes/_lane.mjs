// Shared by every lane: where to listen, how to say "ready", and the plain @hono/node-server bridge
// used by every Fetch-handler lane (the same bridge @mcp-edge/node is built on).
import { serve } from "@hono/node-server";

export const HOST = "127.0.0.1";

export function lanePort() {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error("lane: set PORT");
  return port;
}

/** The line run.mjs waits for before it proves the lane. */
export function ready(port) {
  process.stdout.write(`READY ${port}\n`);
}

/** Serves a Fetch handler on node:http via @hono/node-server, then reports ready. */
export function serveFetch(fetch) {
  const port = lanePort();
  const server = serve({ fetch, port, hostname: HOST }, () => ready(port));
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return server;
}
