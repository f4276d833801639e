/** The protocol version the tests speak unless they say otherwise. */
export const PROTOCOL_VERSION = "2025-11-25";

/** The Accept header of a client that takes either framing. */
export const JSON_AND_SSE = "application/json, text/event-stream";

/** Headers of a well-formed MCP POST at PROTOCOL_VERSION. */
export const MCP_POST_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "application/json",
  accept: JSON_AND_SSE,
  "mcp-protocol-version": PROTOCOL_VERSION,
});

/** A JSON-RPC request object (`params` left out when undefined). */
export function rpc(id: number | string, method: string, params?: Record<string, unknown>): Record<string, unknown> {
  return params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
}

/** A JSON-RPC request as the JSON text of a POST body. */
export function rpcBody(id: number | string, method: string, params?: Record<string, unknown>): string {
  return JSON.stringify(rpc(id, method, params));
}

/** An `initialize` request of a test client declaring `capabilities`, as the JSON text of a POST body. */
export function initializeBody(capabilities: Record<string, unknown> = {}, protocolVersion = PROTOCOL_VERSION): string {
  return rpcBody(0, "initialize", {
    protocolVersion,
    capabilities,
    clientInfo: { name: "test-client", version: "1.0.0" },
  });
}

/** A JSON-RPC error object as it appears on the wire. */
export interface WireError {
  code: number;
  message: string;
  data?: unknown;
}

/** What tests read off a result: the fields they look at by name, and anything else. */
export interface WireResult {
  serverInfo?: { name: string; version?: string };
  protocolVersion?: string;
  content?: { type: string; text: string }[];
  [field: string]: unknown;
}

/** A JSON-RPC message as it appears on the wire (loosely typed on purpose: the tests check it). */
export interface WireMessage {
  jsonrpc?: unknown;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: WireResult;
  error?: WireError;
}
