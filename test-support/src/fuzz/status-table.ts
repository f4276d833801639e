/**
 * What every input class gets, in the order the endpoint checks them: the contract the fuzz suite holds
 * the handler to, and the table docs/fuzzing.md shows. `code` is the JSON-RPC error code of the body
 * (an error without id unless `carriesId`); `null` when the body is not a JSON-RPC message.
 */
export interface StatusRule {
  readonly rule: string;
  readonly status: number;
  readonly code: number | null;
  readonly when: string;
  readonly carriesId?: boolean;
}

export const ErrorCodes = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  BadRequest: -32000,
  SessionNotFound: -32001,
  ResourceNotFound: -32002,
  StoreUnavailable: -32003,
  HeaderMismatch: -32020,
  MissingClientCapability: -32021,
} as const;

const C = ErrorCodes;

export const RULES = {
  path: { rule: "path", status: 404, code: null, when: "the path is not the MCP endpoint" },
  forbidden: {
    rule: "forbidden",
    status: 403,
    code: C.BadRequest,
    when: "Host or Origin not allowed (loopback only by default)",
  },
  method: {
    rule: "method",
    status: 405,
    code: C.BadRequest,
    when: "a method other than POST/GET/DELETE; GET/DELETE on a stateless server, or without a session id in auto mode; OPTIONS without CORS",
  },
  contentType: {
    rule: "content-type",
    status: 415,
    code: C.BadRequest,
    when: "POST whose Content-Type is not application/json (parameters allowed; a charset must be UTF-8)",
  },
  accept: {
    rule: "accept",
    status: 406,
    code: C.BadRequest,
    when: "POST accepting neither application/json nor text/event-stream; GET not accepting text/event-stream",
  },
  tooLarge: { rule: "too-large", status: 413, code: C.BadRequest, when: "a body above maxBodyBytes" },
  version: {
    rule: "protocol-version",
    status: 400,
    code: C.BadRequest,
    when: "an MCP-Protocol-Version header naming no supported revision",
  },
  modernEnvelope: {
    rule: "modern-envelope",
    status: 400,
    code: C.InvalidParams,
    carriesId: true,
    when: "a request without a 2026 _meta claim under a 2026 MCP-Protocol-Version header (2026 lane)",
  },
  modernHeader: {
    rule: "modern-header",
    status: 400,
    code: C.HeaderMismatch,
    carriesId: true,
    when: "an initialize under a 2026 MCP-Protocol-Version header (2026 lane)",
  },
  parse: { rule: "parse", status: 400, code: C.ParseError, when: "a body that is not JSON (after UTF-8 decoding)" },
  depth: { rule: "depth", status: 400, code: C.InvalidRequest, when: "JSON nested deeper than maxJsonDepth (100)" },
  invalid: {
    rule: "invalid-message",
    status: 400,
    code: C.InvalidRequest,
    when: "not a JSON-RPC 2.0 message: wrong jsonrpc, method not a non-empty string, params not an object, id not a string or an integer within ±(2^53-1), a response without exactly one of result/error",
  },
  batchShape: {
    rule: "batch-shape",
    status: 400,
    code: C.InvalidRequest,
    when: "an empty batch, a batch with an invalid member, or initialize inside a batch",
  },
  batchVersion: {
    rule: "batch-version",
    status: 400,
    code: C.InvalidRequest,
    when: "a batch outside protocol 2025-03-26 (the session's revision, or the header's when stateless)",
  },
  initParams: {
    rule: "initialize-params",
    status: 400,
    code: C.InvalidParams,
    carriesId: true,
    when: "stateful initialize whose capabilities or clientInfo is not an object",
  },
  sessionMissing: {
    rule: "session-missing",
    status: 400,
    code: C.BadRequest,
    when: "stateful request other than initialize without Mcp-Session-Id",
  },
  sessionUnknown: {
    rule: "session-unknown",
    status: 404,
    code: C.SessionNotFound,
    when: "a malformed, made-up, ended or expired session id, or one owned by another principal",
  },
  conflict: {
    rule: "conflict",
    status: 409,
    code: C.BadRequest,
    when: "a second standalone GET stream for a session (whatever its Last-Event-ID, unless it resumes a POST stream)",
  },
  lastEventId: {
    rule: "last-event-id",
    status: 400,
    code: C.BadRequest,
    when: "GET with a Last-Event-ID the server cannot resume (it may instead open the standalone stream, or 409)",
  },
  httpParser: {
    rule: "http-parser",
    status: 400,
    code: null,
    when: "real HTTP only: a method the platform's HTTP parser does not know (Node: not in http.METHODS) never reaches the handler",
  },
  storeDown: { rule: "store-down", status: 503, code: C.StoreUnavailable, when: "the session store cannot be reached" },
  accepted: {
    rule: "accepted",
    status: 202,
    code: null,
    when: "a POST carrying only notifications and/or responses",
  },
  answered: {
    rule: "answered",
    status: 200,
    code: null,
    when: "a POST carrying requests: JSON or SSE, one response per request id, each a result or an error in ANSWER_CODES",
  },
  stream: { rule: "stream", status: 200, code: null, when: "GET: an SSE stream, cancellable by the client" },
  ended: { rule: "ended", status: 200, code: null, when: "DELETE of a live session" },
} as const satisfies Record<string, StatusRule>;

export type RuleName = keyof typeof RULES;

/**
 * Codes a request may be answered with when the client's input is at fault. -32603 is not among
 * them: an internal error for what a client sent is a server defect.
 */
export const ANSWER_CODES: readonly number[] = [
  C.InvalidRequest,
  C.MethodNotFound,
  C.InvalidParams,
  C.ResourceNotFound,
  C.MissingClientCapability,
];
