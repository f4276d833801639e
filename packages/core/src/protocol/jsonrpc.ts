import { JSONRPC_VERSION } from "./constants.js";
import * as ErrorCode from "./error-code.js";

export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcResultResponse {
  jsonrpc: "2.0";
  id: RequestId;
  result: Record<string, unknown>;
}

export interface JsonRpcErrorResponse {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcResultResponse | JsonRpcErrorResponse;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** An error that crosses the wire as a JSON-RPC error object. Its message is meant for clients. */
export class McpError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "McpError";
  }

  toJSON(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** `params` left out when undefined: the wire form has no `params` key then. */
export function notification(method: string, params?: Record<string, unknown>): JsonRpcNotification {
  return params === undefined ? { jsonrpc: JSONRPC_VERSION, method } : { jsonrpc: JSONRPC_VERSION, method, params };
}

export function errorResponse(id: RequestId | null, error: JsonRpcErrorObject): JsonRpcErrorResponse {
  return { jsonrpc: JSONRPC_VERSION, id, error };
}

export function resultResponse(id: RequestId, result: Record<string, unknown>): JsonRpcResultResponse {
  return { jsonrpc: JSONRPC_VERSION, id, result };
}

export function isRequest(message: JsonRpcMessage): message is JsonRpcRequest {
  return "method" in message && "id" in message;
}

export function isNotification(message: JsonRpcMessage): message is JsonRpcNotification {
  return "method" in message && !("id" in message);
}

export function isResponse(message: JsonRpcMessage): message is JsonRpcResponse {
  return !("method" in message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A string, or an integer JSON numbers carry exactly: beyond 2^53 - 1 a parsed id is already rounded,
 * and answering with a different id than the client sent would break its request matching.
 */
function isValidId(id: unknown): id is RequestId {
  return typeof id === "string" || (typeof id === "number" && Number.isSafeInteger(id));
}

/**
 * Validates one decoded JSON value as a JSON-RPC 2.0 message.
 * Returns the message, or an McpError (-32600) describing why it is not one.
 */
export function validateMessage(value: unknown): JsonRpcMessage | McpError {
  const invalid = (why: string) => new McpError(ErrorCode.InvalidRequest, `Invalid Request: ${why}`);
  if (!isObject(value) || value.jsonrpc !== JSONRPC_VERSION) return invalid("not a JSON-RPC 2.0 message");
  if ("method" in value) {
    if (typeof value.method !== "string" || value.method.length === 0) {
      return invalid("method must be a non-empty string");
    }
    if ("params" in value && value.params !== undefined && !isObject(value.params)) {
      return invalid("params must be an object");
    }
    if ("id" in value && !isValidId(value.id)) return invalid("id must be a string or an integer within ±(2^53 - 1)");
    return value as unknown as JsonRpcMessage;
  }
  if (!("id" in value) || !(value.id === null || isValidId(value.id))) return invalid("a response needs an id");
  const hasResult = "result" in value;
  const hasError = "error" in value;
  if (hasResult === hasError) return invalid("a response has exactly one of result and error");
  if (hasResult && !isObject(value.result)) return invalid("result must be an object");
  if (hasError && (!isObject(value.error) || typeof value.error.code !== "number")) {
    return invalid("error must be an object with a numeric code");
  }
  return value as unknown as JsonRpcMessage;
}

export { isObject, isValidId };
