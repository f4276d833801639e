import type { EventStore, SessionStore, StreamManager } from "../session/types.js";

export interface CorsOptions {
  /** Allowed origins for browser clients; "*" allows any (Origin validation still applies). */
  origin: string | string[];
  /** Seconds browsers may cache a preflight answer. */
  maxAge?: number;
}

/** 2026 lane: how long a client may reuse a result, and whether shared caches may hold it. */
export interface CacheHint {
  /** Milliseconds, an integer >= 0. */
  ttlMs?: number;
  cacheScope?: "public" | "private";
}

/** The 2026 results that carry `ttlMs` and `cacheScope`. */
export type CacheableMethod =
  | "server/discover"
  | "tools/list"
  | "prompts/list"
  | "resources/list"
  | "resources/templates/list"
  | "resources/read";

/** 2026 lane: how `requestState` (the state of a multi-round request) is sealed. */
export interface RequestStateOptions {
  /**
   * Secrets of at least 32 bytes (strings are UTF-8). The first seals new states; every one opens, so
   * a key is rotated by putting the new one first and dropping the old one once states sealed with it
   * have expired. Instances sharing a key accept each other's states. Default: one random key per
   * process, so a state only opens on the instance that sealed it (configure a key behind a load
   * balancer).
   */
  keys?: ReadonlyArray<string | Uint8Array>;
  /** How long a state stays valid. Default 10 minutes. */
  ttlMs?: number;
}

/**
 * The `auth` option: what `protectedResource(authOptions)` (or `jwtAuth()` from `@mcp-edge/auth`)
 * builds. Opaque: the server reads it, an application only passes it on.
 */
export interface ProtectedResource {
  readonly kind: "protectedResource";
}

/** The `lane2026` option: the `lane2026` value, imported. Opaque like ProtectedResource. */
export interface Lane2026 {
  readonly kind: "lane2026";
}

export interface McpServerOptions {
  name: string;
  version: string;
  title?: string;
  instructions?: string;
  /**
   * true: every request independent, no sessions. false: sessions for every client.
   * undefined (auto): per request, `Accept: application/json, text/event-stream` selects a session
   * and `Accept: application/json` alone selects stateless.
   */
  stateless?: boolean;
  sessionStore?: SessionStore;
  /**
   * Delivery across instances: session messages and broadcasts, and (2026 lane, stateless too) list
   * changes and resource updates for `subscriptions/listen` streams. In memory by default.
   */
  streamManager?: StreamManager;
  /** Keeps SSE events for `Last-Event-ID` replay; in memory by default for sessions. `false` turns replay off. */
  eventStore?: EventStore | false;
  /** Sessions idle this long are gone (404). Sliding on every request. Default one day. */
  sessionIdleTimeoutMs?: number;
  /** MCP endpoint path. Default "/mcp"; `null` serves every path. */
  path?: string | null;
  /**
   * Hosts accepted in the `Host` header (DNS-rebinding protection). Default: what the platform entry
   * read from `MCP_ALLOWED_HOSTS` (or, on Vercel, the deployment's own names), else loopback names only
   * (localhost, 127.0.0.1, [::1]) on any port. Entries may carry a port; "*" disables the check. A list
   * replaces the default; it does not add to it.
   */
  allowedHosts?: string[];
  /**
   * Origins accepted in the `Origin` header. Default: `cors.origin`, else `MCP_ALLOWED_ORIGINS` as read
   * by the platform entry, else loopback origins only; "*" disables the check.
   */
  allowedOrigins?: string[];
  /** Largest accepted request body in bytes (413 above). Default 4 MiB. */
  maxBodyBytes?: number;
  /**
   * Deepest nesting of arrays and objects accepted in a request body, the message itself being level 1
   * (400 with JSON-RPC -32600 above). Default 100.
   */
  maxJsonDepth?: number;
  /**
   * Bytes an SSE connection may hold for a client that does not read them. Past it the connection is
   * ended (the stream is not): a client resumes with `Last-Event-ID` and the event store replays what it
   * missed. One event larger than the limit still goes out when nothing else is waiting. Default 1 MiB.
   */
  maxBufferedBytesPerStream?: number;
  cors?: CorsOptions;
  /**
   * How request answers are framed when the client accepts both: "auto" answers JSON unless the
   * handler sends something before its result (then SSE); "sse" always streams; "json" never does.
   */
  responseMode?: "auto" | "sse" | "json";
  /** Timeout for sampling, elicitation and roots requests. Default 60 s. */
  serverRequestTimeoutMs?: number;
  /**
   * SSE keepalive comment interval. Default 15 s; 0 disables. Standalone GET streams also check at
   * this interval (15 s when 0) that their session still exists, ending when it does not (the check
   * slides the session's idle timeout: a client holding a stream is not idle).
   */
  keepAliveIntervalMs?: number;
  /**
   * Longest time one SSE connection stays open before the server ends the connection (not the
   * stream) so clients resume with `Last-Event-ID`: respects proxy idle limits and serverless
   * maximum durations. A 2026 `subscriptions/listen` stream ends too (without its final response), and
   * its client listens again. Default: unlimited.
   */
  maxStreamDurationMs?: number;
  /**
   * SSE streams this instance holds open for GET requests (standalone streams and resumed ones).
   * Past it a GET is answered 503 with `Retry-After` and JSON-RPC error -32004 naming this limit.
   * Default 10,000.
   */
  maxStreamsPerInstance?: number;
  /**
   * Server-to-client requests (sampling, elicitation, roots) one session may have awaiting the
   * client's reply on this instance. Past it `ctx.sample` / `ctx.elicit` / `ctx.listRoots` reject with
   * JSON-RPC error -32004 naming this limit. Default 100.
   */
  maxPendingServerRequestsPerSession?: number;
  /**
   * Requests of one session being served at once on this instance. Past it the request is answered
   * with JSON-RPC error -32004 naming this limit (it is not queued). Default 1,000.
   */
  maxInFlightRequestsPerSession?: number;
  /**
   * While a request runs with no connection carrying its stream (the client disconnected, or
   * `ctx.closeSSEStream()`), its instance publishes a heartbeat this often, so a client that resumed
   * the stream on any instance knows the request is still being served. Default 5 s.
   */
  requestHeartbeatIntervalMs?: number;
  /**
   * A resumed request stream that receives neither an event nor a heartbeat for this long (the
   * instance serving the request is gone) replays what was stored and ends with JSON-RPC error
   * -32603 for that request id, so the client can retry it. Keep it a few times
   * `requestHeartbeatIntervalMs`. Default 15 s.
   */
  requestHeartbeatTimeoutMs?: number;
  /** `retry:` hint (ms) sent with priming events. Default 1 s. */
  retryMs?: number;
  /** Page size of list results. Default 100. */
  pageSize?: number;
  /**
   * The authenticated principal of a request (e.g. the `sub` of a verified token). A session is
   * bound to the principal that created it; another principal's requests get 404 for it.
   */
  authSubject?: (request: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Makes the endpoint an OAuth 2.1 protected resource: `protectedResource(authOptions)` (or `jwtAuth()`
   * from `@mcp-edge/auth`) builds the value. Every MCP request needs a bearer token its `authenticate`
   * accepts (401 otherwise), the metadata is served at `/.well-known/oauth-protected-resource`, sessions
   * are bound to the principal's subject (unless `authSubject` is also given), and handlers read the
   * principal as `ctx.auth`. A server without it carries no auth code.
   */
  auth?: ProtectedResource;
  /**
   * The 2026-07-28 lane, as imported: `import { lane2026 } from "@mcp-edge/core/stateless"`, then
   * `new McpServer({ name, version, lane2026 })`. The stateless preset serves that lane only with it
   * (without it, a 2026 request is answered 400, which tells the client to fall back to `initialize`),
   * so a bundle pays for the lane only when it serves it. The full preset always serves it.
   */
  lane2026?: Lane2026;
  /**
   * The protocol lanes this endpoint serves. "2025": 2025-03-26 to 2025-11-25 (initialize, sessions or
   * stateless). "2026": 2026-07-28 (no initialize, no session, every request self-describing). Each
   * request is routed by what it claims. Without "2025", GET and DELETE answer 405 and requests
   * without a 2026 claim answer -32022. Default: both (the stateless preset: "2025", and "2026" when given
   * `lane2026`; naming "2026" without it is an error).
   */
  lanes?: ReadonlyArray<"2025" | "2026">;
  /**
   * 2026 lane: `ttlMs` / `cacheScope` of cacheable results (lists, resources/read, server/discover),
   * for all of them and per method. A resource's own `cacheHint` and a value the handler set win.
   * Default `{ ttlMs: 0, cacheScope: "private" }`.
   */
  cacheHints?: CacheHint & { methods?: Partial<Record<CacheableMethod, CacheHint>> };
  /** 2026 lane: sealing of multi-round request state (see RequestStateOptions). */
  requestState?: RequestStateOptions;
  /**
   * 2026 lane: `subscriptions/listen` streams this server holds open on one instance; past it a
   * listen is answered -32603 before its acknowledgement. Default 1,024.
   */
  maxListenStreams?: number;
  /**
   * Called with errors the client must not see: thrown handlers (answered -32603) and failures of
   * background work such as storing a stream's events. A store that cannot be reached is answered
   * 503 / -32003 and reported once per outage by its storage package (its own `onError`), not here.
   * Default: console.error of the message.
   */
  onError?: (error: unknown, context: { method?: string }) => void;
}
