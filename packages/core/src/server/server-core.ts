import {
  type EndpointAuth,
  endpointAuth,
  type HandlerConfig,
  type ModernLaneSupport,
  type PlatformDefaults,
  resolveConfig,
  type SessionWiring,
} from "../http/config.js";
import { handleRequest } from "../http/handler.js";
import * as Defaults from "../protocol/defaults.js";
import { type JsonRpcNotification, notification } from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import type { SchemaInput } from "../schema/tool-schema.js";
import { Dispatcher } from "./dispatcher.js";
import type { Lane2026, McpServerOptions } from "./options.js";
import {
  type ListKind,
  type PromptConfig,
  type PromptHandler,
  type Registration,
  Registry,
  type ResourceConfig,
  type ResourceHandler,
  type ResourceTemplateConfig,
  type ResourceTemplateHandler,
  type ToolConfig,
  type ToolHandler,
} from "./registry.js";
import type { UriTemplate } from "./uri-template.js";

const LIST_CHANGED: Record<ListKind, string> = {
  tools: Method.ToolListChanged,
  resources: Method.ResourceListChanged,
  prompts: Method.PromptListChanged,
};

/**
 * The 2026 lane a preset serves: given, it must be the `lane2026` value; asked for by `lanes` without
 * it, the application forgot the import that puts the lane in its bundle.
 */
function checkedLane(options: McpServerOptions, lane: Lane2026 | undefined): ModernLaneSupport | undefined {
  if (lane !== undefined && (lane as Partial<Lane2026> | null)?.kind !== "lane2026") {
    throw new TypeError(
      'options.lane2026 takes the `lane2026` value: import { lane2026 } from "@mcp-edge/core/stateless"',
    );
  }
  if (lane === undefined && options.lanes?.includes("2026")) {
    throw new Error(
      'lanes names "2026" but this server has no 2026-07-28 lane: import { lane2026 } from "@mcp-edge/core/stateless" and pass it, new McpServer({ name, version, lane2026 })',
    );
  }
  return lane as ModernLaneSupport | undefined;
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.join("\n") === b.join("\n"));
}

function sameDefaults(a: PlatformDefaults, b: PlatformDefaults): boolean {
  return (
    a.stateless === b.stateless &&
    a.storage === b.storage &&
    sameList(a.allowedHosts, b.allowedHosts) &&
    sameList(a.allowedOrigins, b.allowedOrigins)
  );
}

/**
 * One MCP server definition. `server.fetch` is its Web Fetch handler, so `export default server`
 * is a complete Workers, Deno or Bun module, and every platform entry wraps the same object.
 *
 * The presets are its subclasses: `McpServer` from `@mcp-edge/core` (sessions available) and from
 * `@mcp-edge/core/stateless` (no session code in the bundle). Either carries the auth code only
 * through the `auth` value the application built.
 */
export class McpServerCore {
  readonly options: Readonly<McpServerOptions>;
  readonly #registry = new Registry();
  readonly #dispatcher: Dispatcher;
  readonly #sessions: SessionWiring | undefined;
  readonly #modernSupport: ModernLaneSupport | undefined;
  readonly #auth: EndpointAuth | undefined;
  #config: HandlerConfig | undefined;
  #platformDefaults: PlatformDefaults = {};

  constructor(options: McpServerOptions, sessions: SessionWiring | undefined, lane: Lane2026 | undefined) {
    this.options = options;
    this.#sessions = sessions;
    this.#modernSupport = checkedLane(options, lane);
    this.#auth = endpointAuth(options.auth);
    const onError = (error: unknown, method: string) => this.#handlerConfig().onError(error, { method });
    const pageSize = options.pageSize ?? Defaults.pageSize;
    this.#dispatcher = this.#auth
      ? this.#auth.dispatcher(this.#registry, options, pageSize, onError)
      : new Dispatcher(this.#registry, options, pageSize, onError);
    this.#registry.onListChanged = (kind) => {
      this.#dispatcher.invalidateCapabilities();
      // Before the first request nobody is connected; after it, every session and listen hears the change.
      if (this.#config) {
        this.#broadcast(notification(LIST_CHANGED[kind])).catch((error) => this.#config?.onError(error, {}));
      }
    };
  }

  /**
   * The Fetch handler (bound): `(request) => Promise<Response>`. Of the extra runtime arguments only a
   * `waitUntil` counts, and only where sessions can use it (see SessionWiring.rememberPlatform).
   */
  readonly fetch = (request: Request, ...platform: unknown[]): Promise<Response> => {
    if (platform.length > 0) this.#sessions?.rememberPlatform(request, platform);
    return handleRequest(this.#handlerConfig(), request);
  };

  tool<S extends SchemaInput | undefined = undefined>(
    name: string,
    config: ToolConfig<S>,
    handler: ToolHandler<S>,
  ): Registration {
    return this.#registry.addTool(name, config, handler as never);
  }

  resource(uri: string, config: ResourceConfig, handler: ResourceHandler): Registration {
    return this.#registry.addResource(uri, config, handler);
  }

  /** `template` is a `new UriTemplate("users://{id}")`: only servers that declare templates bundle the parser. */
  resourceTemplate(
    template: UriTemplate,
    config: ResourceTemplateConfig,
    handler: ResourceTemplateHandler,
  ): Registration {
    return this.#registry.addResourceTemplate(template, config, handler);
  }

  prompt(name: string, config: PromptConfig, handler: PromptHandler): Registration {
    return this.#registry.addPrompt(name, config, handler);
  }

  /**
   * For platform entries: what to assume where the application chose nothing (see PlatformDefaults
   * for why). Explicit options always win. Call it before the first request; calling it again with
   * the same defaults is harmless.
   */
  applyPlatformDefaults(defaults: PlatformDefaults): this {
    if (this.#config) {
      if (sameDefaults(defaults, this.#platformDefaults)) return this;
      throw new Error("applyPlatformDefaults must be called before the first request");
    }
    this.#platformDefaults = defaults;
    return this;
  }

  /**
   * Ends what this instance holds open: GET streams, pending server-to-client requests, and the
   * stream manager's connections. Sessions themselves stay in the store, so another instance (or this
   * one after a restart) carries on with them.
   */
  async close(): Promise<void> {
    await Promise.all([this.#config?.modern?.close(), this.#config?.sessions?.close()]);
  }

  /**
   * Sends a notification to one session's GET stream, wherever that stream is held (and keeps it for
   * replay). A no-op when stateless.
   */
  async sendNotificationToSession(sessionId: string, method: string, params?: Record<string, unknown>): Promise<void> {
    await this.#handlerConfig().sessions?.deliver(sessionId, notification(method, params));
  }

  /**
   * Sends a notification to every session connected to any instance (list changes also reach 2026
   * `subscriptions/listen` streams, stateless or not).
   */
  async sendNotification(method: string, params?: Record<string, unknown>): Promise<void> {
    await this.#broadcast(notification(method, params));
  }

  /**
   * Tells every session subscribed to `uri`, and every 2026 listen stream that asked for it, that it
   * changed.
   */
  async notifyResourceUpdated(uri: string): Promise<void> {
    const config = this.#handlerConfig();
    if (config.sessions) await config.sessions.resourceUpdated(uri);
    else await config.modern?.broadcast(notification(Method.ResourceUpdated, { uri }), uri);
  }

  /**
   * A session runtime publishes on the broadcast channel that listen streams read too; without one,
   * the 2026 lane publishes there itself.
   */
  async #broadcast(message: JsonRpcNotification): Promise<void> {
    const config = this.#handlerConfig();
    if (config.sessions) await config.sessions.broadcast(message);
    else await config.modern?.broadcast(message);
  }

  #handlerConfig(): HandlerConfig {
    this.#config ??= resolveConfig(
      this.options,
      this.#dispatcher,
      this.#registry,
      this.#platformDefaults,
      this.#sessions,
      this.#modernSupport,
      this.#auth,
    );
    return this.#config;
  }
}
