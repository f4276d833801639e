// `@mcp-edge/core`: the full preset. Sessions are available (in memory by default, or any store
// implementing the interfaces of `@mcp-edge/core/storage`); `@mcp-edge/core/stateless` is the same API
// without them. Pinned by test/public-api.test.ts.
export * from "./definition-api.js";
export { McpServer } from "./server/mcp-server.js";
export { InMemoryEventStore } from "./session/memory-event-store.js";
export { InMemorySessionStore } from "./session/memory-session-store.js";
export { InMemoryStreamManager } from "./session/memory-stream-manager.js";
export type { EventStore, SessionStore, StreamManager } from "./session/types.js";
