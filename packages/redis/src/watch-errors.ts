import type { Emitter, EventListener } from "./clients.js";

/** Clients whose 'error' events this package already listens to: one listener per client is enough. */
const watched = new WeakSet<object>();

/**
 * An EventEmitter with no 'error' listener throws the error, which crashes the process (node-redis
 * does this on every failed reconnect). A listener is attached once per client so an outage can
 * never take the server down; what it reports goes to `onError`, or is logged once per outage when
 * the application listens to nothing itself.
 */
export function watchErrors(client: Emitter, onError: ((error: unknown) => void) | undefined): void {
  if (watched.has(client)) return;
  watched.add(client);
  let reported = false;
  client.on("ready", (() => {
    reported = false;
  }) as EventListener);
  client.on("error", ((error: unknown) => {
    if (onError) return onError(error);
    // More listeners than this one: the application handles its client's errors itself.
    if (reported || client.listenerCount("error") > 1) return;
    reported = true;
    const detail = error instanceof Error ? error.message : String(error);
    console.warn(`[@mcp-edge/redis] connection error (further ones are silent until it reconnects): ${detail}`);
  }) as EventListener);
}
