import type { EventStore, SessionStore } from "@mcp-edge/core/storage";
import { type EventStoreBounds, KeySessionStore, LogEventStore } from "@mcp-edge/redis-kit";
import { ObjectClient } from "./call.js";
import { objectEventLog } from "./event-log.js";
import type { SessionNamespace } from "./platform.js";
import { objectSessionKeys } from "./session-keys.js";
import { DurableStreamManager } from "./stream-manager.js";

export interface DurableSessionOptions extends EventStoreBounds {
  /**
   * Prepended to every object name, so deployments (or tests) sharing one namespace never meet.
   * Default none: a session's object is `idFromName(sessionId)`.
   */
  prefix?: string;
  /** How often each subscription checks its WebSocket with a ping the runtime answers. Default 30 s. */
  pingIntervalMs?: number;
}

/** The three stores of a server whose sessions live in `McpSessionObject`s. */
export interface DurableSessionStorage {
  sessionStore: SessionStore;
  eventStore: EventStore;
  streamManager: DurableStreamManager;
  /** Resolves once no call to an object is in flight (see `ObjectClient.settled`). */
  settled(): Promise<void>;
}

/**
 * The session store, event store and stream manager over a namespace of `McpSessionObject`. They
 * hold no I/O object between calls (each call makes its own stub, each subscription its own socket in
 * the request that subscribes), so one set serves every request of an isolate. `createWorker` builds
 * them from its `sessions` option; this is for servers that wire the stores themselves.
 */
export function durableSessionStorage(
  namespace: SessionNamespace,
  options: DurableSessionOptions = {},
): DurableSessionStorage {
  const client = new ObjectClient(namespace, options.prefix);
  return {
    sessionStore: new KeySessionStore(objectSessionKeys(client)),
    // The kit's keys keep its default prefix: the object names carry this one.
    eventStore: new LogEventStore(objectEventLog(client), {
      maxEventsPerStream: options.maxEventsPerStream,
      maxAgeMs: options.maxAgeMs,
    }),
    streamManager: new DurableStreamManager(client, { pingIntervalMs: options.pingIntervalMs ?? 30_000 }),
    settled: () => client.settled(),
  };
}
