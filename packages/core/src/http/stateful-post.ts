import { BATCH_PROTOCOL_VERSION } from "../protocol/constants.js";
import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import {
  errorResponse,
  isNotification,
  isObject,
  isRequest,
  isResponse,
  type JsonRpcRequest,
} from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";
import { negotiateProtocolVersion } from "../protocol/version.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { SessionRecord } from "../session/types.js";
import type { AcceptedTypes } from "./accept.js";
import { answerAll, answerOne, batchRefused } from "./answer.js";
import type { HandlerConfig } from "./config.js";
import type { PostBody } from "./post-body.js";
import { PostScope } from "./request-scope.js";
import { emptyResponse, type HeaderRecord, jsonResponse, rpcErrorResponse } from "./responses.js";
import { loadSession } from "./session-access.js";
import { SessionExchange } from "./session-exchange.js";

/** Stateful: `initialize` opens a session; everything else must name a live one. */
export async function handleStatefulPost(
  config: HandlerConfig,
  sessions: SessionRuntime,
  request: Request,
  accept: AcceptedTypes,
  parsed: PostBody,
  headers: HeaderRecord,
): Promise<Response> {
  const first = parsed.messages[0];
  if (first && isRequest(first) && first.method === Method.Initialize) {
    if (parsed.batch) {
      return rpcErrorResponse(
        400,
        ErrorCode.InvalidRequest,
        "Invalid Request: initialize must not be part of a batch",
        headers,
      );
    }
    return initializeSession(config, sessions, request, accept, first, headers);
  }

  const session = await loadSession(config, sessions, request, headers);
  if (session instanceof Response) return session;
  if (parsed.batch && session.protocolVersion !== BATCH_PROTOCOL_VERSION) return batchRefused(headers);

  const messages = parsed.messages;
  // The common case, one request: the body's own array serves as the list of requests.
  if (messages.length === 1 && first && isRequest(first)) {
    return await serveRequests(
      config,
      sessions,
      request,
      accept,
      session,
      messages as JsonRpcRequest[],
      false,
      headers,
    );
  }
  const requests: JsonRpcRequest[] = [];
  for (const message of messages) {
    if (isRequest(message)) requests.push(message);
    else if (isResponse(message)) await sessions.reply(session.id, message);
    else if (isNotification(message)) await onNotification(sessions, session, message.method, message.params);
  }
  if (requests.length === 0) return emptyResponse(202, headers);
  return await serveRequests(config, sessions, request, accept, session, requests, parsed.batch, headers);
}

async function onNotification(
  sessions: SessionRuntime,
  session: SessionRecord,
  method: string,
  params: Record<string, unknown> | undefined,
): Promise<void> {
  if (method === Method.Initialized && !session.initialized) {
    await sessions.update(session, (record) => {
      record.initialized = true;
    });
  } else if (
    method === Method.Cancelled &&
    params &&
    (typeof params.requestId === "string" || typeof params.requestId === "number")
  ) {
    await sessions.cancel(session.id, params.requestId, params.reason);
  }
}

async function initializeSession(
  config: HandlerConfig,
  sessions: SessionRuntime,
  request: Request,
  accept: AcceptedTypes,
  message: JsonRpcRequest,
  headers: HeaderRecord,
): Promise<Response> {
  const params = message.params ?? {};
  const capabilities = params.capabilities;
  const clientInfo = params.clientInfo;
  if (!isObject(capabilities) || !isObject(clientInfo)) {
    return rpcErrorResponse(
      400,
      ErrorCode.InvalidParams,
      "initialize needs capabilities and clientInfo objects",
      headers,
      message.id,
    );
  }
  const authSubject = config.authSubject ? await config.authSubject(request) : undefined;
  const protocolVersion = negotiateProtocolVersion(params.protocolVersion);
  const session = await sessions.create({
    protocolVersion,
    clientCapabilities: capabilities as ClientCapabilities,
    clientInfo: clientInfo as Implementation,
    ...(authSubject === undefined ? {} : { authSubject }),
  });
  return serveRequests(config, sessions, request, accept, session, [message], false, {
    ...headers,
    [Header.SessionId]: session.id,
  });
}

function serveRequests(
  config: HandlerConfig,
  sessions: SessionRuntime,
  request: Request,
  accept: AcceptedTypes,
  session: SessionRecord,
  requests: JsonRpcRequest[],
  batch: boolean,
  headers: HeaderRecord,
): Promise<Response> {
  const refused = sessions.inFlightLimitError(session.id, requests.length);
  if (refused) {
    const answers = requests.map((message) => errorResponse(message.id, refused.toJSON()));
    return Promise.resolve(jsonResponse(batch ? answers : answers[0], 200, headers));
  }
  // The request id travels in the stream id, so a resumer elsewhere can end it with an error for that id.
  const exchange = new SessionExchange(
    config,
    accept.sse,
    headers,
    sessions,
    session,
    batch ? undefined : sessions.eventStore,
    requests[0]?.id,
    request,
  );
  const only = requests[0];
  if (!batch && requests.length === 1 && only) {
    answerOne(config, new PostScope(only, session.protocolVersion, exchange, request, session, sessions), exchange);
    return exchange.response;
  }
  const scopes: PostScope[] = [];
  for (const message of requests) {
    scopes.push(new PostScope(message, session.protocolVersion, exchange, request, session, sessions));
  }
  answerAll(config, scopes, exchange, batch);
  return exchange.response;
}
