/**
 * The single source of truth for protocol constants: versions, error codes, header names.
 * Everything else in the kit imports from here.
 */

/** Protocol revisions of the 2025 lane, oldest first. */
export const SUPPORTED_PROTOCOL_VERSIONS = ["2025-03-26", "2025-06-18", "2025-11-25"] as const;
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOL_VERSIONS)[number];
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = "2025-11-25";
/** The first revision with SSE priming events, `retry` and server-closed polling streams (SEP-1699). */
export const PRIMING_MIN_PROTOCOL_VERSION: ProtocolVersion = "2025-11-25";
/** The only revision that allows JSON-RPC batches. */
export const BATCH_PROTOCOL_VERSION: ProtocolVersion = "2025-03-26";

/**
 * Revisions of the 2026 lane: no initialize, no session, every request carries its version in
 * `params._meta` (see MetaKey). Claims at or after the first of them name this lane.
 */
export const MODERN_PROTOCOL_VERSIONS = ["2026-07-28"] as const;
export type ModernProtocolVersion = (typeof MODERN_PROTOCOL_VERSIONS)[number];
/** Claims that compare (as strings, like ISO dates) at or after this one belong to the 2026 lane. */
export const FIRST_MODERN_PROTOCOL_VERSION: ModernProtocolVersion = "2026-07-28";

/** The reserved `_meta` keys of the 2026 lane. */
export const MetaKey = {
  ProtocolVersion: "io.modelcontextprotocol/protocolVersion",
  ClientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  ClientInfo: "io.modelcontextprotocol/clientInfo",
  LogLevel: "io.modelcontextprotocol/logLevel",
  ServerInfo: "io.modelcontextprotocol/serverInfo",
  SubscriptionId: "io.modelcontextprotocol/subscriptionId",
} as const;

export const JSONRPC_VERSION = "2.0";

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Implementation-defined server error, used (as the SDK does) for transport-level 400s. */
  BadRequest: -32000,
  /**
   * Unknown, expired or deleted session (HTTP 404). The spec names no code; the official SDK answers
   * -32001 here, and its clients key on the 404.
   */
  SessionNotFound: -32001,
  /** Resource not found (2025 lane). */
  ResourceNotFound: -32002,
  /** mcp-edge: the session store or stream manager could not be reached. */
  StoreUnavailable: -32003,
  /** mcp-edge: a documented limit was reached (open streams, pending or in-flight requests); the message names it. */
  LimitExceeded: -32004,
  /**
   * A server-to-client request (sampling, elicitation, roots) got no reply in time. The same number as
   * SessionNotFound on purpose: it is the SDK's RequestTimeout, which its clients recognise; the two
   * never meet, as this one travels in a tool's answer (HTTP 200) and that one with a 404.
   */
  RequestTimeout: -32001,
  /** 2026 lane: a header disagrees with the body (or a required one is missing). HTTP 400. */
  HeaderMismatch: -32020,
  /** Client lacks the capability a server-to-client request needs (2026: HTTP 400, `data.requiredCapabilities`). */
  MissingClientCapability: -32021,
  /** 2026 lane: the claimed protocol version is not served (`data.supported`, `data.requested`). HTTP 400. */
  UnsupportedProtocolVersion: -32022,
} as const;

export const Header = {
  SessionId: "mcp-session-id",
  ProtocolVersion: "mcp-protocol-version",
  LastEventId: "last-event-id",
  Accept: "accept",
  ContentType: "content-type",
  Origin: "origin",
  Host: "host",
  Allow: "allow",
  /** 2026 lane: the JSON-RPC method, repeated for intermediaries. */
  McpMethod: "mcp-method",
  /** 2026 lane: the tool or prompt name, or the resource URI, repeated for intermediaries. */
  McpName: "mcp-name",
} as const;

export const MediaType = {
  Json: "application/json",
  EventStream: "text/event-stream",
} as const;

export const LOGGING_LEVELS = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
] as const;
export type LoggingLevel = (typeof LOGGING_LEVELS)[number];

export const Method = {
  Initialize: "initialize",
  Initialized: "notifications/initialized",
  Ping: "ping",
  ToolsList: "tools/list",
  ToolsCall: "tools/call",
  ResourcesList: "resources/list",
  ResourcesTemplatesList: "resources/templates/list",
  ResourcesRead: "resources/read",
  ResourcesSubscribe: "resources/subscribe",
  ResourcesUnsubscribe: "resources/unsubscribe",
  PromptsList: "prompts/list",
  PromptsGet: "prompts/get",
  CompletionComplete: "completion/complete",
  LoggingSetLevel: "logging/setLevel",
  Cancelled: "notifications/cancelled",
  Progress: "notifications/progress",
  Message: "notifications/message",
  ResourceUpdated: "notifications/resources/updated",
  ResourceListChanged: "notifications/resources/list_changed",
  ToolListChanged: "notifications/tools/list_changed",
  PromptListChanged: "notifications/prompts/list_changed",
  RootsListChanged: "notifications/roots/list_changed",
  SamplingCreateMessage: "sampling/createMessage",
  ElicitationCreate: "elicitation/create",
  RootsList: "roots/list",
  ServerDiscover: "server/discover",
  SubscriptionsListen: "subscriptions/listen",
  SubscriptionsAcknowledged: "notifications/subscriptions/acknowledged",
} as const;

/** Defaults a demanding user would expect. */
export const Defaults = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxJsonDepth: 100,
  maxBufferedBytesPerStream: 1024 * 1024,
  sessionIdleTimeoutMs: 24 * 60 * 60 * 1000,
  serverRequestTimeoutMs: 60_000,
  keepAliveIntervalMs: 15_000,
  retryMs: 1_000,
  pageSize: 100,
  path: "/mcp",
  eventStoreMaxEvents: 1_000,
  eventStoreMaxAgeMs: 5 * 60 * 1000,
  maxStreamsPerInstance: 10_000,
  maxPendingServerRequestsPerSession: 100,
  maxInFlightRequestsPerSession: 1_000,
  requestHeartbeatIntervalMs: 5_000,
  requestHeartbeatTimeoutMs: 15_000,
  /** 2026 lane: open `subscriptions/listen` streams per server instance. */
  maxListenStreams: 1_024,
  /** 2026 lane: how long a sealed `requestState` stays valid. */
  requestStateTtlMs: 10 * 60 * 1000,
  /** 2026 lane: cache fields of cacheable results when nothing more specific is configured. */
  cacheTtlMs: 0,
  cacheScope: "private",
} as const;
