import { Header, MediaType } from "../protocol/constants.js";
import { errorResponse, type RequestId } from "../protocol/jsonrpc.js";

export type HeaderRecord = Record<string, string>;

export function jsonResponse(body: unknown, status: number, headers?: HeaderRecord): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: headers ? { [Header.ContentType]: MediaType.Json, ...headers } : { [Header.ContentType]: MediaType.Json },
  });
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
