import type { EventStore, SessionStore, StreamManager } from "../session/types.js";

export interface CorsOptions {
  /** Allowed origins for browser clients; "*" allows any (Origin validation still applies). */
  origin: string | string[];
  /** Seconds browsers may cache a preflight answer. */
  maxAge?: number;
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
  streamManager?: StreamManager;
  /** Keeps SSE events for `Last-Event-ID` replay; in memory by default for sessions. `false` turns replay off. */
  eventStore?: EventStore | false;
  /** Sessions idle this long are gone (404). Sliding on every request. Default one day. */
  sessionIdleTimeoutMs?: number;
  /** MCP endpoint path. Default "/mcp"; `null` serves every path. */
  path?: string | null;
  /**
   * Hosts accepted in the `Host` header (DNS-rebinding protection). Default: loopback names only
   * (localhost, 127.0.0.1, [::1]) on any port. Entries may carry a port; "*" disables the check.
   */
  allowedHosts?: string[];
  /** Origins accepted in the `Origin` header. Default: loopback origins only; "*" disables the check. */
  allowedOrigins?: string[];
  /** Largest accepted request body in bytes (413 above). Default 4 MiB. */
  maxBodyBytes?: number;
  cors?: CorsOptions;
  /**
   * How request answers are framed when the client accepts both: "auto" answers JSON unless the
   * handler sends something before its result (then SSE); "sse" always streams; "json" never does.
   */
  responseMode?: "auto" | "sse" | "json";
  /** Timeout for sampling, elicitation and roots requests. Default 60 s. */
  serverRequestTimeoutMs?: number;
  /** SSE keepalive comment interval. Default 15 s; 0 disables. */
  keepAliveIntervalMs?: number;
  /**
   * Longest time one SSE connection stays open before the server ends the connection (not the
   * stream) so clients resume with `Last-Event-ID`: respects proxy idle limits and serverless
   * maximum durations. Default: unlimited.
   */
  maxStreamDurationMs?: number;
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
   * Called with errors the client must not see: thrown handlers (answered -32603) and failures of
   * background work such as storing a stream's events. A store that cannot be reached is answered
   * 503 / -32003 and reported once per outage by its storage package (its own `onError`), not here.
   * Default: console.error of the message.
   */
  onError?: (error: unknown, context: { method?: string }) => void;
}
