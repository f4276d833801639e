export { McpServer } from "./server/mcp-server.js";
export type { McpServerOptions, CorsOptions } from "./server/options.js";
export { RequestContext, type ServerRequestOptions } from "./server/context.js";
export type {
  ToolConfig,
  ToolHandler,
  ResourceConfig,
  ResourceHandler,
  ResourceTemplateConfig,
  ResourceTemplateHandler,
  PromptConfig,
  PromptHandler,
  CompleteCallback,
  Registration,
  InferArgs,
} from "./server/registry.js";
export { UriTemplate } from "./server/uri-template.js";
export type { SchemaInput } from "./schema/tool-schema.js";
export type { StandardSchemaV1, StandardJSONSchemaV1 } from "./schema/standard-schema.js";
export * from "./protocol/constants.js";
export { McpError, type JsonRpcMessage, type JsonRpcRequest, type JsonRpcResponse, type JsonRpcNotification, type RequestId } from "./protocol/jsonrpc.js";
export type * from "./protocol/types.js";
export {
  type SessionRecord,
  type SessionStore,
  type StreamManager,
  type EventStore,
  type StoredEvent,
  type Unsubscribe,
  SESSION_RECORD_VERSION,
  StoreUnavailableError,
} from "./session/types.js";
export { InMemorySessionStore } from "./session/memory-session-store.js";
export { InMemoryStreamManager } from "./session/memory-stream-manager.js";
export { InMemoryEventStore } from "./session/memory-event-store.js";
export { Channel, type SessionEnvelope, type StreamEnvelope, type BroadcastEnvelope } from "./session/channels.js";
