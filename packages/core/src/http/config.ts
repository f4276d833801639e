import { Defaults } from "../protocol/constants.js";
import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import type { Dispatcher } from "../server/dispatcher.js";
import type { CorsOptions, McpServerOptions } from "../server/options.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { AcceptedTypes } from "./accept.js";
import { createOriginGuard, type OriginGuard } from "./origin-guard.js";
import type { HeaderRecord } from "./responses.js";

/** What sessions add to the endpoint (see http/session-transport.ts); absent in the stateless preset. */
export interface SessionTransport {
  createRuntime(options: McpServerOptions, onError: (error: unknown) => void): SessionRuntime;
  post(
    config: HandlerConfig,
    request: Request,
    accept: AcceptedTypes,
    parsed: { messages: JsonRpcMessage[]; batch: boolean },
    headers: HeaderRecord,
  ): Promise<Response>;
  get(config: HandlerConfig, request: Request, headers: HeaderRecord, allow: string): Promise<Response>;
  remove(config: HandlerConfig, request: Request, headers: HeaderRecord, allow: string): Promise<Response>;
}

/** Options resolved once, with defaults applied: what every request reads. */
export interface HandlerConfig {
  path: string | null;
  guard: OriginGuard;
  maxBodyBytes: number;
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
  sessionTransport: SessionTransport | undefined;
  onError: (error: unknown, context: { method?: string }) => void;
  authSubject: ((request: Request) => string | undefined | Promise<string | undefined>) | undefined;
}

/**
 * Where no shared store can hold sessions (isolates on Workers and Deno Deploy come and go), a
 * server with no session store configured is stateless unless told otherwise.
 */
function runtimeDefaultStateless(options: McpServerOptions, platform: PlatformDefaults): boolean | undefined {
  if (options.stateless !== undefined || options.sessionStore !== undefined) return options.stateless;
  if (platform.stateless !== undefined) return platform.stateless;
  const agent = typeof navigator === "object" ? (navigator as { userAgent?: string }).userAgent : undefined;
  if (agent === "Cloudflare-Workers" || agent?.startsWith("Deno/")) return true;
  return undefined;
}

function defaultOnError(error: unknown, context: { method?: string }): void {
  // Messages only: a stack may carry request data, and logs must not carry secrets.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[mcp-edge] ${context.method ?? "request"} failed: ${message}`);
}

/** What a platform entry knows better than the core: see McpServer.applyPlatformDefaults. */
export interface PlatformDefaults {
  stateless?: boolean;
  allowedHosts?: string[];
}

/**
 * Workers serve public hostnames through Cloudflare's front door, where DNS rebinding cannot reach
 * anything private: the Host check would only refuse legitimate names.
 */
function runtimeDefaultAllowedHosts(): string[] | undefined {
  const agent = typeof navigator === "object" ? (navigator as { userAgent?: string }).userAgent : undefined;
  return agent === "Cloudflare-Workers" ? ["*"] : undefined;
}

export function resolveConfig(
  options: McpServerOptions,
  dispatcher: Dispatcher,
  platformDefaults: PlatformDefaults,
  sessionTransport: SessionTransport | undefined,
): HandlerConfig {
  const stateless = sessionTransport ? runtimeDefaultStateless(options, platformDefaults) : true;
  const onError = options.onError ?? defaultOnError;
  const corsOrigins = options.cors === undefined ? undefined : [options.cors.origin].flat();
  const allowedOrigins = options.allowedOrigins ?? corsOrigins;
  const sessions =
    stateless === true || !sessionTransport
      ? undefined
      : sessionTransport.createRuntime(options, (error) => onError(error, {}));
  return {
    path: options.path === undefined ? Defaults.path : options.path,
    guard: createOriginGuard(
      options.allowedHosts ?? platformDefaults.allowedHosts ?? runtimeDefaultAllowedHosts(),
      allowedOrigins,
    ),
    maxBodyBytes: options.maxBodyBytes ?? Defaults.maxBodyBytes,
    cors: options.cors,
    responseMode: options.responseMode ?? "auto",
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? Defaults.keepAliveIntervalMs,
    maxStreamDurationMs: options.maxStreamDurationMs,
    retryMs: options.retryMs ?? Defaults.retryMs,
    stateless,
    dispatcher,
    sessions,
    sessionTransport: sessions ? sessionTransport : undefined,
    onError,
    authSubject: options.authSubject,
  };
}
