// `@mcp-edge/core`: the full preset. Sessions are available (in memory by default, or any store
// implementing the interfaces below); `@mcp-edge/core/stateless` is the same API without them.
export * from "./definition-api.js";
export { McpServer } from "./server/mcp-server.js";
export type { McpServerOptions } from "./server/options.js";
export { StatelessMcpServer, type StatelessServerOptions } from "./server/stateless-server.js";
export { type BroadcastEnvelope, Channel, type SessionEnvelope, type StreamEnvelope } from "./session/channels.js";
export { InMemoryEventStore } from "./session/memory-event-store.js";
export { InMemorySessionStore } from "./session/memory-session-store.js";
export { InMemoryStreamManager } from "./session/memory-stream-manager.js";
export {
  type EventStore,
  isStoreUnavailable,
  type ListenerEvent,
  SESSION_RECORD_VERSION,
  type SessionRecord,
  type SessionStore,
  type StoredEvent,
  StoreUnavailableError,
  type StreamManager,
  type Unsubscribe,
} from "./session/types.js";
