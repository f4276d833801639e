import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import { errorResponse, type JsonRpcResponse, type RequestId } from "../protocol/jsonrpc.js";
import * as MediaType from "../protocol/media-type.js";

export type HeaderRecord = Record<string, string>;

/** Shared by every response without extra headers; nothing writes to a HeaderRecord (they are spread). */
export const NO_HEADERS: HeaderRecord = Object.freeze({}) as HeaderRecord;

/**
 * Response headers shared by every response that has no others. Safe to share: a Response copies its
 * init's headers into a Headers object of its own, and nothing here writes to a HeaderRecord.
 */
const JSON_HEADERS: HeaderRecord = Object.freeze({ [Header.ContentType]: MediaType.Json }) as HeaderRecord;

export function hasNoHeaders(headers: HeaderRecord | undefined): boolean {
  if (headers === undefined || headers === NO_HEADERS) return true;
  for (const _ in headers) return false;
  return true;
}

/** `base` with `headers` added, or `base` itself when there are none (most responses). */
export function withHeaders(base: HeaderRecord, headers: HeaderRecord | undefined): HeaderRecord {
  return hasNoHeaders(headers) ? base : { ...base, ...headers };
}

/** A JSON body that is already text (see `encodeResponse`). */
export function jsonTextResponse(text: string, status: number, headers?: HeaderRecord): Response {
  return new Response(text, { status, headers: withHeaders(JSON_HEADERS, headers) });
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
