import { ErrorCode, Header, MediaType } from "../protocol/constants.js";
import { errorResponse, type JsonRpcResponse, type RequestId } from "../protocol/jsonrpc.js";

export type HeaderRecord = Record<string, string>;

/** A JSON body that is already text (see `encodeResponse`). */
export function jsonTextResponse(text: string, status: number, headers?: HeaderRecord): Response {
  return new Response(text, {
    status,
    headers: headers ? { [Header.ContentType]: MediaType.Json, ...headers } : { [Header.ContentType]: MediaType.Json },
  });
}

/** For bodies the server builds itself, which always serialise. */
export function jsonResponse(body: unknown, status: number, headers?: HeaderRecord): Response {
  return jsonTextResponse(JSON.stringify(body), status, headers);
}

/**
 * A response's wire text. A handler's result may not serialise (a BigInt, a cycle, nesting deeper
 * than the stack): the request is then answered with an opaque -32603 for its id and the cause
 * reported, so it is always answered and nothing throws where no one catches.
 */
export function encodeResponse(response: JsonRpcResponse, report: (error: unknown) => void): string {
  try {
    return JSON.stringify(response);
  } catch (error) {
    report(error);
    return JSON.stringify(errorResponse(response.id, { code: ErrorCode.InternalError, message: "Internal error" }));
  }
}

/** An HTTP error whose body is a JSON-RPC error without id, so every client can show something useful. */
export function rpcErrorResponse(
  status: number,
  code: number,
  message: string,
  headers?: HeaderRecord,
  id: RequestId | null = null,
): Response {
  return jsonResponse(errorResponse(id, { code, message }), status, headers);
}

export function emptyResponse(status: number, headers?: HeaderRecord): Response {
  return new Response(null, { status, headers });
}
