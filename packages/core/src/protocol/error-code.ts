// JSON-RPC and MCP error codes.
// Callers import the module itself (`import * as ErrorCode from`), never through a re-export: a bundler
// then inlines the values used and drops the rest, which an object of constants would keep whole.

export const ParseError = -32700;
export const InvalidRequest = -32600;
export const MethodNotFound = -32601;
export const InvalidParams = -32602;
export const InternalError = -32603;
/** Implementation-defined server error, used (as the SDK does) for transport-level 400s. */
export const BadRequest = -32000;
/**
 * Unknown, expired or deleted session (HTTP 404). The spec names no code; the official SDK answers
 * -32001 here, and its clients key on the 404.
 */
export const SessionNotFound = -32001;
/** Resource not found (2025 lane). */
export const ResourceNotFound = -32002;
/** mcp-edge: the session store or stream manager could not be reached. */
export const StoreUnavailable = -32003;
/** mcp-edge: a documented limit was reached (open streams, pending or in-flight requests); the message names it. */
export const LimitExceeded = -32004;
/**
 * A server-to-client request (sampling, elicitation, roots) got no reply in time. The same number as
 * SessionNotFound on purpose: it is the SDK's RequestTimeout, which its clients recognise; the two
 * never meet, as this one travels in a tool's answer (HTTP 200) and that one with a 404.
 */
export const RequestTimeout = -32001;
/** 2026 lane: a header disagrees with the body (or a required one is missing). HTTP 400. */
export const HeaderMismatch = -32020;
/** Client lacks the capability a server-to-client request needs (2026: HTTP 400, `data.requiredCapabilities`). */
export const MissingClientCapability = -32021;
/** 2026 lane: the claimed protocol version is not served (`data.supported`, `data.requested`). HTTP 400. */
export const UnsupportedProtocolVersion = -32022;
