import * as ErrorCode from "../protocol/error-code.js";
import { type JsonRpcErrorObject, McpError } from "../protocol/jsonrpc.js";
import { isStoreUnavailable } from "../session/types.js";
import { rpcErrorResponse } from "./responses.js";

/** What a thrown error becomes on the wire: McpErrors as they are, anything else an opaque -32603. */
export function toErrorObject(error: unknown, report: (error: unknown) => void): JsonRpcErrorObject {
  if (error instanceof McpError) return error.toJSON();
  if (isStoreUnavailable(error)) {
    return { code: ErrorCode.StoreUnavailable, message: "Session store unavailable" };
  }
  report(error);
  return { code: ErrorCode.InternalError, message: "Internal error" };
}

export function storeUnavailableResponse(headers: Record<string, string>): Response {
  return rpcErrorResponse(503, ErrorCode.StoreUnavailable, "Session store unavailable; try again shortly", {
    ...headers,
    "retry-after": "1",
  });
}
