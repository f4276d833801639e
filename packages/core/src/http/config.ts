import * as Defaults from "../protocol/defaults.js";
import type { JsonRpcNotification } from "../protocol/jsonrpc.js";
import type { Dispatcher } from "../server/dispatcher.js";
import type { CorsOptions, Lane2026, McpServerOptions, ProtectedResource } from "../server/options.js";
import type { Registry } from "../server/registry.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { AcceptedTypes } from "./accept.js";
import { createOriginGuard, type OriginGuard } from "./origin-guard.js";
import type { PlatformStorage } from "./platform-storage.js";
import type { PostBody } from "./post-body.js";
import type { HeaderRecord } from "./responses.js";

/** What sessions add to the endpoint (http/session-support.ts); absent in the stateless preset. */
export interface SessionSupport {
  createRuntime(options: McpServerOptions, onError: (error: unknown) => void): SessionRuntime;
  /** The stateful POST, GET and DELETE handlers, serving the sessions of `runtime`. */
  bind(runtime: SessionRuntime): SessionEndpoints;
}

/**
 * The platform's stores (PlatformDefaults.storage) serve what outlives one request: sessions and the
 * 2026 lane's listen streams. Each brings the code that fills them in, so a stateless bundle without
 * the lane carries none of it.
 */
interface UsesPlatformStorage {
  withPlatformStorage(options: McpServerOptions, storage: PlatformStorage | undefined): McpServerOptions;
}

/** The session side of a config, which only the full preset resolves (server/session-wiring.ts). */
export interface SessionWiring extends UsesPlatformStorage {
  /**
   * Keeps the request's `waitUntil` (see http/platform-context.ts): only a session's resumable stream
   * has work that outlives its response, so a stateless server needs none.
   */
  rememberPlatform(request: Request, platform: readonly unknown[]): void;
  resolve(
    options: McpServerOptions,
    platform: PlatformDefaults,
    onError: (error: unknown) => void,
  ): { stateless: boolean | undefined; runtime?: SessionRuntime; endpoints?: SessionEndpoints };
}

/** The stateful handlers of one server, bound to its session runtime. */
export interface SessionEndpoints {
  post(
    config: HandlerConfig,
    request: Request,
    accept: AcceptedTypes,
    parsed: PostBody,
    headers: HeaderRecord,
  ): Promise<Response>;
  get(config: HandlerConfig, request: Request, headers: HeaderRecord, allow: string): Promise<Response>;
  remove(config: HandlerConfig, request: Request, headers: HeaderRecord, allow: string): Promise<Response>;
}

/**
 * What the 2026 lane adds to the endpoint: the `lane2026` value (era2026/lane.ts). The full preset
 * always plugs it in, the stateless preset when the application passes it, so a build that leaves it
 * out carries none of its code.
 */
export interface ModernLaneSupport extends Lane2026, UsesPlatformStorage {
  create(
    options: McpServerOptions,
    dispatcher: Dispatcher,
    registry: Registry,
    sessions: SessionRuntime | undefined,
  ): ModernLane;
}

/** The 2026 lane of one server. */
export interface ModernLane {
  /**
   * Era detection for one POST whose body decoded as JSON: the answer when the request belongs to the
   * 2026 lane (or claims it wrongly), undefined when it belongs to the 2025 lane.
   */
  route(
    config: HandlerConfig,
    request: Request,
    accept: AcceptedTypes,
    body: unknown,
    headers: HeaderRecord,
  ): Promise<Response> | Response | undefined;
  /** Where the 2025 lane is off: the answer to a POST that belongs to it. */
  refuseLegacy(body: unknown, headers: HeaderRecord): Response;
  /**
   * Tells this server's `subscriptions/listen` streams, on every instance, about a list change or a
   * resource update (`uri`). Only called where no session runtime already publishes broadcasts.
   */
  broadcast(message: JsonRpcNotification, uri?: string): Promise<void>;
  /** Ends this instance's listen streams gracefully. */
  close(): Promise<void>;
}

/**
 * What `auth` adds to the endpoint: the gate `protectedResource()` builds (auth/auth-gate.ts). The server
 * reaches auth code only through this value, so a build whose application sets no `auth` carries none.
 */
export interface EndpointAuth extends ProtectedResource {
  /** The protected resource metadata document when `path` is one of its well-known URIs. */
  metadata(method: string, path: string): Response | undefined;
  /** The session subject of an admitted request. */
  subject(request: Request): string | undefined;
  /** Authenticates a request before anything reads its body: undefined when admitted, otherwise the answer. */
  admit(
    request: Request,
    headers: HeaderRecord,
    report: (error: unknown, context: { method?: string }) => void,
  ): Promise<Response | undefined>;
  /** 403 when a message reaches an item the request's principal lacks scopes for. */
  refuseItems(request: Request, body: unknown, headers: HeaderRecord): Response | undefined;
  /** The server's dispatcher, built so that lists leave out what a principal may not use. */
  dispatcher(...args: ConstructorParameters<typeof Dispatcher>): Dispatcher;
}

/**
 * The `auth` option as the endpoint uses it. Checked at construction: the auth options themselves are
 * not a gate, and an application that passed them must hear so before it serves anything unprotected.
 */
export function endpointAuth(auth: ProtectedResource | undefined): EndpointAuth | undefined {
  if (auth === undefined) return undefined;
  if ((auth as Partial<ProtectedResource> | null)?.kind !== "protectedResource") {
    throw new TypeError(
      "options.auth takes the value protectedResource(authOptions) builds (from @mcp-edge/core, or jwtAuth() from @mcp-edge/auth), not the auth options themselves",
    );
  }
  return auth as EndpointAuth;
}

/** Options resolved once, with defaults applied: what every request reads. */
export interface HandlerConfig {
  path: string | null;
  guard: OriginGuard;
  maxBodyBytes: number;
  maxJsonDepth: number;
  maxBufferedBytesPerStream: number;
  cors: CorsOptions | undefined;
  responseMode: "auto" | "sse" | "json";
  keepAliveIntervalMs: number;
  maxStreamDurationMs: number | undefined;
  retryMs: number;
  /** true / false / undefined = choose per request from Accept. */
  stateless: boolean | undefined;
  dispatcher: Dispatcher;
  sessions: SessionRuntime | undefined;
  /** Set whenever `sessions` is. */
  sessionEndpoints: SessionEndpoints | undefined;
  /** The user's hook (or the default), made safe to call from anywhere: it never throws or rejects. */
  onError: (error: unknown, context: { method?: string }) => void;
  authSubject: ((request: Request) => string | undefined | Promise<string | undefined>) | undefined;
  /** The OAuth 2.1 resource-server side of the endpoint, when `auth` is set. */
  auth: EndpointAuth | undefined;
  /** The 2026 lane, when served. */
  modern: ModernLane | undefined;
  /** Whether the 2025 lane (initialize, sessions, GET and DELETE) is served. */
  legacy: boolean;
}

function describe(error: unknown): string {
  // Messages only: a stack may carry request data, and logs must not carry secrets. A hostile value
  // (a throwing getter or toString) must not turn the report itself into a failure.
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "an error that cannot be described";
  }
}

function defaultOnError(error: unknown, context: { method?: string }): void {
  console.error(`[mcp-edge] ${context.method ?? "request"} failed: ${describe(error)}`);
}

/**
 * `onError` is called from catch blocks and background work; a hook that throws or returns a rejected
 * promise must not leave a request unanswered or a rejection unobserved.
 */
function guardErrorHook(
  hook: (error: unknown, context: { method?: string }) => unknown,
): (error: unknown, context: { method?: string }) => void {
  const hookFailed = (failure: unknown) => {
    console.error(`[mcp-edge] the onError hook failed: ${describe(failure)}`);
  };
  return (error, context) => {
    try {
      const result = hook(error, context);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
        (result as PromiseLike<unknown>).then(undefined, hookFailed);
      }
    } catch (failure) {
      hookFailed(failure);
    }
  };
}

/**
 * What a platform entry knows better than the core, applied where the application chose nothing
 * (explicit options always win). The one rationale every entry follows:
 * - stateless: where instances share no memory (Workers isolates, Lambda and Vercel instances, Deno
 *   Deploy), an in-memory session created on one is unknown to the next, so with no `sessionStore` a
 *   server is stateless. The core cannot tell Lambda or Vercel from Node with Web APIs, so those
 *   entries say it; on Workers and Deno the core also infers it from `navigator.userAgent`.
 * - host names: only the deployment's environment can name them (`MCP_ALLOWED_HOSTS` /
 *   `MCP_ALLOWED_ORIGINS`, or names the platform itself sets, such as Vercel's), never the request;
 *   with none, only loopback names pass, which keeps local emulators protected against DNS rebinding.
 */
export interface PlatformDefaults {
  stateless?: boolean;
  /**
   * The host names the deployment answers on, as its environment states them (MCP_ALLOWED_HOSTS, or
   * names the platform itself sets). Used when the `allowedHosts` option is absent; absent too, only
   * loopback names pass.
   */
  allowedHosts?: string[];
  /** Likewise for `allowedOrigins` (MCP_ALLOWED_ORIGINS), used when neither it nor `cors` is set. */
  allowedOrigins?: string[];
  /**
   * Stores the platform builds from its bindings (Durable Objects on Workers), used where the
   * application configured no session store and did not ask for stateless. A binding exists only in
   * the environment a request brings, so the entry cannot write these into the application's options.
   */
  storage?: PlatformStorage;
}

export function resolveConfig(
  given: McpServerOptions,
  dispatcher: Dispatcher,
  registry: Registry,
  platformDefaults: PlatformDefaults,
  wiring: SessionWiring | undefined,
  modernSupport: ModernLaneSupport | undefined,
  auth: EndpointAuth | undefined,
): HandlerConfig {
  const options = (wiring ?? modernSupport)?.withPlatformStorage(given, platformDefaults.storage) ?? given;
  const lanes = options.lanes ?? ["2025", "2026"];
  const legacy = lanes.includes("2025");
  const modernWanted = lanes.includes("2026") && modernSupport !== undefined;
  if (!legacy && !modernWanted) throw new Error('options.lanes must name "2025", "2026" or both');
  const onError = options.onError ? guardErrorHook(options.onError) : defaultOnError;
  const corsOrigins = options.cors === undefined ? undefined : [options.cors.origin].flat();
  const allowedOrigins = options.allowedOrigins ?? corsOrigins ?? platformDefaults.allowedOrigins;
  const session = legacy ? wiring?.resolve(options, platformDefaults, (error) => onError(error, {})) : undefined;
  const sessions = session?.runtime;
  return {
    path: options.path === undefined ? Defaults.path : options.path,
    guard: createOriginGuard(options.allowedHosts ?? platformDefaults.allowedHosts, allowedOrigins),
    maxBodyBytes: options.maxBodyBytes ?? Defaults.maxBodyBytes,
    maxJsonDepth: options.maxJsonDepth ?? Defaults.maxJsonDepth,
    maxBufferedBytesPerStream: options.maxBufferedBytesPerStream ?? Defaults.maxBufferedBytesPerStream,
    cors: options.cors,
    responseMode: options.responseMode ?? "auto",
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? Defaults.keepAliveIntervalMs,
    maxStreamDurationMs: options.maxStreamDurationMs,
    retryMs: options.retryMs ?? Defaults.retryMs,
    stateless: session ? session.stateless : true,
    dispatcher,
    sessions,
    sessionEndpoints: session?.endpoints,
    onError,
    authSubject: options.authSubject ?? (auth ? (request: Request) => auth.subject(request) : undefined),
    auth,
    modern: modernWanted ? modernSupport?.create(options, dispatcher, registry, sessions) : undefined,
    legacy,
  };
}
