import * as ErrorCode from "../protocol/error-code.js";
import { nestsDeeperThan } from "../protocol/json-depth.js";
import { isRequest, type JsonRpcMessage, McpError, validateMessage } from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import { type HeaderRecord, rpcErrorResponse } from "./responses.js";

/** A POST body that parsed and validated: its messages, and whether they came as a batch. */
export interface PostBody {
  messages: JsonRpcMessage[];
  batch: boolean;
}

/**
 * Decodes a POST body as JSON; returns the value or the HTTP error to answer with. The nesting limit
 * is checked here, before anything copies, validates or serialises the value.
 */
export function decodeBody(text: string, headers: HeaderRecord, maxDepth: number): { value: unknown } | Response {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return rpcErrorResponse(400, ErrorCode.ParseError, "Parse error: the body is not valid JSON", headers);
  }
  if (nestsDeeperThan(text, maxDepth)) {
    return rpcErrorResponse(
      400,
      ErrorCode.InvalidRequest,
      `Invalid Request: JSON nested deeper than ${maxDepth} levels`,
      headers,
    );
  }
  return { value: parsed };
}

/** Validates a decoded POST body as one JSON-RPC message or a batch of them. */
export function toMessages(parsed: unknown, headers: HeaderRecord): PostBody | Response {
  if (!Array.isArray(parsed)) {
    const message = validateMessage(parsed);
    if (message instanceof McpError) return rpcErrorResponse(400, message.code, message.message, headers);
    return { messages: [message], batch: false };
  }
  if (parsed.length === 0)
    return rpcErrorResponse(400, ErrorCode.InvalidRequest, "Invalid Request: empty batch", headers);
  const messages: JsonRpcMessage[] = [];
  for (const item of parsed) {
    const message = validateMessage(item);
    if (message instanceof McpError) return rpcErrorResponse(400, message.code, message.message, headers);
    // 2025-03-26, the one revision with batches: "initialize" MUST NOT be part of one.
    if (isRequest(message) && message.method === Method.Initialize) {
      return rpcErrorResponse(
        400,
        ErrorCode.InvalidRequest,
        "Invalid Request: initialize must not be part of a batch",
        headers,
      );
    }
    messages.push(message);
  }
  return { messages, batch: true };
}
