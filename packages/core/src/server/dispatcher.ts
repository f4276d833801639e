import { LATEST_PROTOCOL_VERSION } from "../protocol/constants.js";
import * as ErrorCode from "../protocol/error-code.js";
import { McpError } from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import type { Implementation, InitializeResult, ServerCapabilities } from "../protocol/types.js";
import { negotiateProtocolVersion } from "../protocol/version.js";
import { RequestContext, type RequestScope } from "./context.js";
import { complete } from "./methods/completion.js";
import { getPrompt, listPrompts } from "./methods/prompts.js";
import { listResources, listResourceTemplates, readResource } from "./methods/resources.js";
import { setLogLevel, subscribe } from "./methods/session-methods.js";
import { callTool, listTools } from "./methods/tools.js";
import type { McpServerOptions } from "./options.js";
import type { Registry } from "./registry.js";

type Result = Record<string, unknown>;

/** Routes one JSON-RPC request to the method that answers it. Errors are McpErrors with client-safe messages. */
export class Dispatcher {
  readonly #registry: Registry;
  readonly #options: McpServerOptions;
  readonly #pageSize: number;
  readonly #onError: (error: unknown, method: string) => void;
  #capabilities: ServerCapabilities | undefined;

  constructor(
    registry: Registry,
    options: McpServerOptions,
    pageSize: number,
    onError: (error: unknown, method: string) => void,
  ) {
    this.#registry = registry;
    this.#options = options;
    this.#pageSize = pageSize;
    this.#onError = onError;
  }

  /** Capabilities follow what is registered; recomputed after a list changes. */
  capabilities(): ServerCapabilities {
    if (this.#capabilities) return this.#capabilities;
    const registry = this.#registry;
    const capabilities: ServerCapabilities = { logging: {} };
    if (registry.tools.size > 0) capabilities.tools = { listChanged: true };
    if (registry.resources.size > 0 || registry.templates.length > 0) {
      capabilities.resources = { subscribe: true, listChanged: true };
    }
    if (registry.prompts.size > 0) capabilities.prompts = { listChanged: true };
    if (registry.prompts.size > 0 || registry.templates.length > 0) capabilities.completions = {};
    this.#capabilities = capabilities;
    return capabilities;
  }

  invalidateCapabilities(): void {
    this.#capabilities = undefined;
  }

  serverInfo(): Implementation {
    const serverInfo: Implementation = { name: this.#options.name, version: this.#options.version };
    if (this.#options.title !== undefined) serverInfo.title = this.#options.title;
    return serverInfo;
  }

  initializeResult(params: Record<string, unknown> | undefined): InitializeResult {
    const serverInfo = this.serverInfo();
    const result: InitializeResult = {
      protocolVersion: negotiateProtocolVersion(params?.protocolVersion ?? LATEST_PROTOCOL_VERSION),
      capabilities: this.capabilities(),
      serverInfo,
    };
    if (this.#options.instructions !== undefined) result.instructions = this.#options.instructions;
    return result;
  }

  /** Not async itself: most methods answer synchronously, and an extra promise per request adds up. */
  dispatch(scope: RequestScope): Result | Promise<Result> {
    const { method, params } = scope;
    const registry = this.#registry;
    switch (method) {
      case Method.ToolsCall:
        return callTool(registry, params, new RequestContext(scope), (error) => this.#onError(error, method));
      case Method.ToolsList:
        return listTools(registry, params, this.#pageSize);
      case Method.Initialize:
        return this.initializeResult(params);
      case Method.Ping:
        return {};
      case Method.ResourcesList:
        return listResources(registry, params, this.#pageSize, new RequestContext(scope));
      case Method.ResourcesTemplatesList:
        return listResourceTemplates(registry, params, this.#pageSize);
      case Method.ResourcesRead:
        return readResource(registry, params, new RequestContext(scope));
      case Method.ResourcesSubscribe:
        return subscribe(scope, true);
      case Method.ResourcesUnsubscribe:
        return subscribe(scope, false);
      case Method.PromptsList:
        return listPrompts(registry, params, this.#pageSize);
      case Method.PromptsGet:
        return getPrompt(registry, params, new RequestContext(scope));
      case Method.CompletionComplete:
        return complete(registry, params);
      case Method.LoggingSetLevel:
        return setLogLevel(scope);
      default:
        throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
    }
  }
}
