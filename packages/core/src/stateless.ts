// `@mcp-edge/core/stateless`: the stateless preset. The same API as `@mcp-edge/core` for defining and
// serving a server, without the session machinery (stores, GET streams, resumability), so a Workers
// or Lambda bundle carries only what a stateless server runs.
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
export { StatelessMcpServer as McpServer, type StatelessServerOptions } from "./server/stateless-server.js";
export { UriTemplate } from "./server/uri-template.js";
