import { BATCH_PROTOCOL_VERSION, ErrorCode, Header, Method, type ProtocolVersion } from "../protocol/constants.js";
import { nestsDeeperThan } from "../protocol/json-depth.js";
import {
  errorResponse,
  isRequest,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  McpError,
  type RequestId,
  resultResponse,
  validateMessage,
} from "../protocol/jsonrpc.js";
import { isSupportedProtocolVersion, negotiateProtocolVersion } from "../protocol/version.js";
import type { RequestScope } from "../server/context.js";
import type { InFlightRequest } from "../session/in-flight.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { SessionRecord } from "../session/types.js";
import type { AcceptedTypes } from "./accept.js";
import type { HandlerConfig } from "./config.js";
import { toErrorObject } from "./error-mapping.js";
import { PostExchange } from "./post-exchange.js";
import { emptyResponse, encodeResponse, type HeaderRecord, rpcErrorResponse } from "./responses.js";

/**
 * Parses and validates a POST body; returns the messages or the HTTP error to answer with. The
 * nesting limit is checked here, before anything copies, validates or serialises the value.
 */
export function parseMessages(
  text: string,
  headers: HeaderRecord,
  maxDepth: number,
): { messages: JsonRpcMessage[]; batch: boolean } | Response {
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

/**
 * What the dispatcher and `ctx` see of one request. A class rather than an object literal with
 * closures: it is built for every request, and its prototype is shared.
 */
export class PostScope implements RequestScope {
  readonly requestId: RequestId;
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  readonly protocolVersion: ProtocolVersion;
  readonly channel: PostExchange;
  readonly httpRequest: Request;
  readonly session: SessionRecord | undefined;
  readonly #inFlight: InFlightRequest | undefined;
  readonly #sessions: SessionRuntime | undefined;

  constructor(
    message: JsonRpcRequest,
    protocolVersion: ProtocolVersion,
    exchange: PostExchange,
    request: Request,
    session?: SessionRecord,
    sessions?: SessionRuntime,
  ) {
    this.requestId = message.id;
    this.method = message.method;
    this.params = message.params;
    this.protocolVersion = protocolVersion;
    this.channel = exchange;
    this.httpRequest = request;
    this.session = session;
    this.#sessions = sessions;
    this.#inFlight = session && sessions ? sessions.track(session.id, message.id) : undefined;
  }

  /** Stateful: aborted on cancellation or session end. Stateless: the HTTP request's own signal. */
  get signal(): AbortSignal {
    // Read lazily: reading request.signal makes some adapters (@hono/node-server) build a full Request.
    return this.#inFlight ? this.#inFlight.signal : this.httpRequest.signal;
  }

  updateSession(change: (record: SessionRecord) => void): Promise<void> {
    const sessions = this.#sessions;
    const session = this.session;
    return sessions && session ? sessions.update(session, change) : Promise.resolve();
  }

  release(): void {
    this.#inFlight?.release();
  }
}

/** Dispatches one request and returns its response's wire text; never rejects for what a handler does. */
async function answer(config: HandlerConfig, scope: PostScope, exchange?: PostExchange): Promise<string> {
  const report = (error: unknown) => config.onError(error, { method: scope.method });
  let response: JsonRpcResponse;
  try {
    response = resultResponse(scope.requestId, await config.dispatcher.dispatch(scope));
  } catch (error) {
    response = errorResponse(scope.requestId, toErrorObject(error, report));
  }
  scope.release();
  const text = encodeResponse(response, report);
  // One request (the common case) settles the exchange here: no array of answers, no Promise.all.
  exchange?.finishOne(text);
  return text;
}

/**
 * Answers the requests through `exchange`, which settles the HTTP response. Nothing here is awaited
 * by the caller, so whatever goes wrong still ends the exchange (an error answer or the end of its
 * stream) instead of rejecting where no one listens.
 */
export function answerAll(config: HandlerConfig, scopes: PostScope[], exchange: PostExchange, batch: boolean): void {
  if (scopes.length === 1 && !batch && scopes[0]) {
    answer(config, scopes[0], exchange).catch((error: unknown) => exchange.fail(error));
    return;
  }
  Promise.all(scopes.map((scope) => answer(config, scope)))
    .then((texts) => exchange.finish(texts, batch))
    .catch((error: unknown) => exchange.fail(error));
}

export function batchRefused(headers: HeaderRecord): Response {
  return rpcErrorResponse(
    400,
    ErrorCode.InvalidRequest,
    `Invalid Request: batches are only allowed at protocol ${BATCH_PROTOCOL_VERSION}`,
    headers,
  );
}

/** Stateless: every request on its own; nothing is remembered and nothing is asked of the client. */
export function handleStatelessPost(
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  parsed: { messages: JsonRpcMessage[]; batch: boolean },
  headers: HeaderRecord,
): Promise<Response> | Response {
  const headerVersion = request.headers.get(Header.ProtocolVersion);
  if (parsed.batch && headerVersion !== null && headerVersion !== BATCH_PROTOCOL_VERSION) return batchRefused(headers);
  const exchange = new PostExchange(config, accept.sse, headers, undefined, parsed.batch);
  const scopes: PostScope[] = [];
  for (const message of parsed.messages) {
    if (!isRequest(message)) continue;
    const version: ProtocolVersion = isSupportedProtocolVersion(headerVersion)
      ? headerVersion
      : message.method === Method.Initialize
        ? negotiateProtocolVersion(message.params?.protocolVersion)
        : BATCH_PROTOCOL_VERSION;
    scopes.push(new PostScope(message, version, exchange, request));
  }
  if (scopes.length === 0) return emptyResponse(202, headers);
  answerAll(config, scopes, exchange, parsed.batch);
  return exchange.response;
}
