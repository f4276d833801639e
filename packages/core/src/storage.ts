// `@mcp-edge/core/storage`: what a storage backend implements and needs (the three interfaces, the
// record they keep, the error that makes the endpoint answer 503, the core's retention defaults).
// Pinned by test/public-api.test.ts.
export * as Defaults from "./protocol/defaults.js";
export type { JsonRpcMessage } from "./protocol/jsonrpc.js";
export type { ClientCapabilities, Implementation } from "./protocol/types.js";
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
