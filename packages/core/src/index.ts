export type { PlatformDefaults } from "./http/config.js";
export * from "./protocol/constants.js";
export {
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  McpError,
  type RequestId,
} from "./protocol/jsonrpc.js";
export type * from "./protocol/types.js";
export type { StandardJSONSchemaV1, StandardSchemaV1 } from "./schema/standard-schema.js";
export type { SchemaInput } from "./schema/tool-schema.js";
export { RequestContext, type ServerRequestOptions } from "./server/context.js";
export { McpServer } from "./server/mcp-server.js";
export type { CorsOptions, McpServerOptions } from "./server/options.js";
export type {
  CompleteCallback,
  InferArgs,
  PromptConfig,
  PromptHandler,
  Registration,
  ResourceConfig,
  ResourceHandler,
  ResourceTemplateConfig,
  ResourceTemplateHandler,
  ToolConfig,
  ToolHandler,
} from "./server/registry.js";
export { McpServerCore } from "./server/server-core.js";
export { StatelessMcpServer, type StatelessServerOptions } from "./server/stateless-server.js";
export { UriTemplate } from "./server/uri-template.js";
export { type BroadcastEnvelope, Channel, type SessionEnvelope, type StreamEnvelope } from "./session/channels.js";
export { InMemoryEventStore } from "./session/memory-event-store.js";
export { InMemorySessionStore } from "./session/memory-session-store.js";
export { InMemoryStreamManager } from "./session/memory-stream-manager.js";
export {
  type EventStore,
  isStoreUnavailable,
  SESSION_RECORD_VERSION,
  type SessionRecord,
  type SessionStore,
  type StoredEvent,
  StoreUnavailableError,
  type StreamManager,
  type Unsubscribe,
} from "./session/types.js";
