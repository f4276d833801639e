// What both presets export for defining a server (everything but the McpServer class itself):
// protocol constants and types, errors, schemas, the request context and registration types.
export { AllowListEnv, type AllowLists, allowListsFromEnv, parseAllowList } from "./http/allow-lists.js";
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
export type { CorsOptions } from "./server/options.js";
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
export { UriTemplate } from "./server/uri-template.js";
