// What both presets export for defining and serving a server, by name (everything but the McpServer
// class itself, which each preset supplies). Pinned by test/public-api.test.ts.
export { AuthError } from "./auth/auth-error.js";
export { protectedResource } from "./auth/protected-resource.js";
export type { AuthOptions, Principal, ScopeRequirements } from "./auth/types.js";
export { lane2026 } from "./era2026/lane.js";
export { AllowListEnv, type AllowLists, allowListsFromEnv, parseAllowList } from "./http/allow-lists.js";
export type { PlatformDefaults } from "./http/config.js";
export {
  LATEST_PROTOCOL_VERSION,
  type LoggingLevel,
  MODERN_PROTOCOL_VERSIONS,
  type ModernProtocolVersion,
  type ProtocolVersion,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "./protocol/constants.js";
export * as ErrorCode from "./protocol/error-code.js";
export { type JsonRpcMessage, McpError, type RequestId } from "./protocol/jsonrpc.js";
export type {
  CallToolResult,
  ClientCapabilities,
  CompleteResult,
  ContentBlock,
  CreateMessageParams,
  CreateMessageResult,
  ElicitFormParams,
  ElicitParams,
  ElicitResult,
  ElicitUrlParams,
  GetPromptResult,
  Implementation,
  ListRootsResult,
  PromptMessage,
  ReadResourceResult,
  ResourceContents,
  ToolAnnotations,
} from "./protocol/types.js";
export { fullJsonSchema } from "./schema/full-json-schema.js";
export type { StandardJSONSchemaV1, StandardSchemaV1 } from "./schema/standard-schema.js";
export type { SchemaInput } from "./schema/tool-schema.js";
export { type JsonSchemaConverter, withJsonSchema } from "./schema/with-json-schema.js";
export { RequestContext, type ServerRequestOptions } from "./server/context.js";
export type {
  CacheableMethod,
  CacheHint,
  CorsOptions,
  McpServerOptions,
  ProtectedResource,
  RequestStateOptions,
} from "./server/options.js";
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
export type { McpServerCore } from "./server/server-core.js";
export { UriTemplate, type UriTemplateVariables } from "./server/uri-template.js";
export { StoreUnavailableError } from "./session/types.js";
