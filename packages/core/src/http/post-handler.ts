import {
  BATCH_PROTOCOL_VERSION,
  ErrorCode,
  Header,
  Method,
  PRIMING_MIN_PROTOCOL_VERSION,
  type ProtocolVersion,
} from "../protocol/constants.js";
import {
  errorResponse,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  McpError,
  resultResponse,
  validateMessage,
} from "../protocol/jsonrpc.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";
import { isAtLeast, isSupportedProtocolVersion, negotiateProtocolVersion } from "../protocol/version.js";
import type { RequestChannel, RequestScope } from "../server/context.js";
import { newShortId } from "../session/session-id.js";
import type { SessionRecord } from "../session/types.js";
import type { AcceptedTypes } from "./accept.js";
import type { HandlerConfig } from "./config.js";
import { toErrorObject } from "./error-mapping.js";
import { PostExchange, type Resumability } from "./post-exchange.js";
import { emptyResponse, type HeaderRecord, rpcErrorResponse } from "./responses.js";
import { loadSession } from "./session-access.js";

const rejectServerRequests = (): Promise<never> =>
  Promise.reject(new McpError(ErrorCode.MissingClientCapability, "Server-to-client requests need a session"));
const noop = () => {};

/** Parses and validates a POST body; returns the messages or the HTTP error to answer with. */
export function parseMessages(
  text: string,
  headers: HeaderRecord,
): { messages: JsonRpcMessage[]; batch: boolean } | Response {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return rpcErrorResponse(400, ErrorCode.ParseError, "Parse error: the body is not valid JSON", headers);
  }
  const batch = Array.isArray(parsed);
  const items: unknown[] = batch ? (parsed as unknown[]) : [parsed];
  if (items.length === 0)
    return rpcErrorResponse(400, ErrorCode.InvalidRequest, "Invalid Request: empty batch", headers);
  const messages: JsonRpcMessage[] = [];
  for (const item of items) {
    const message = validateMessage(item);
    if (message instanceof McpError) return rpcErrorResponse(400, message.code, message.message, headers);
    messages.push(message);
  }
  return { messages, batch };
}

async function answer(config: HandlerConfig, scope: RequestScope): Promise<JsonRpcResponse> {
  try {
    return resultResponse(scope.requestId, await config.dispatcher.dispatch(scope));
  } catch (error) {
    return errorResponse(
      scope.requestId,
      toErrorObject(error, (e) => config.onError(e, { method: scope.method })),
    );
  }
}

function batchRefused(headers: HeaderRecord): Response {
  return rpcErrorResponse(
    400,
    ErrorCode.InvalidRequest,
    `Invalid Request: batches are only allowed at protocol ${BATCH_PROTOCOL_VERSION}`,
    headers,
  );
}

/** Stateless: every request on its own; nothing is remembered and nothing is asked of the client. */
export async function handleStatelessPost(
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  parsed: { messages: JsonRpcMessage[]; batch: boolean },
  headers: HeaderRecord,
): Promise<Response> {
  const headerVersion = request.headers.get(Header.ProtocolVersion);
  if (parsed.batch && headerVersion !== null && headerVersion !== BATCH_PROTOCOL_VERSION) return batchRefused(headers);
  const requests = parsed.messages.filter(isRequest);
  if (requests.length === 0) return emptyResponse(202, headers);

  const exchange = new PostExchange({
    canStream: accept.sse && config.responseMode !== "json",
    eager: config.responseMode === "sse",
    headers,
    keepAliveIntervalMs: config.keepAliveIntervalMs,
    maxStreamDurationMs: undefined,
    resumable: undefined,
    onError: (error) => config.onError(error, {}),
  });
  const channel: RequestChannel = {
    notify: async (message) => {
      exchange.send(message);
    },
    request: rejectServerRequests,
    closeSSEStream: noop,
  };
  const answers = requests.map((message) => {
    const version: ProtocolVersion = isSupportedProtocolVersion(headerVersion)
      ? headerVersion
      : message.method === Method.Initialize
        ? negotiateProtocolVersion(message.params?.protocolVersion)
        : BATCH_PROTOCOL_VERSION;
    return answer(config, {
      requestId: message.id,
      method: message.method,
      params: message.params,
      // Lazy: reading request.signal makes some adapters (@hono/node-server) build a full Request.
      get signal() {
        return request.signal;
      },
      protocolVersion: version,
      channel,
      httpRequest: request,
    });
  });
  Promise.all(answers).then((responses) => exchange.finish(responses, parsed.batch));
  return exchange.response;
}

/** Stateful: `initialize` opens a session; everything else must name a live one. */
export async function handleStatefulPost(
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  parsed: { messages: JsonRpcMessage[]; batch: boolean },
  headers: HeaderRecord,
): Promise<Response> {
  const sessions = config.sessions;
  if (!sessions) throw new Error("stateful request without a session runtime");
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
    return initializeSession(config, request, accept, first, headers);
  }

  const session = await loadSession(config, request, headers, true);
  if (session instanceof Response) return session;
  if (!session) throw new Error("a required session was not loaded");
  if (parsed.batch && session.protocolVersion !== BATCH_PROTOCOL_VERSION) return batchRefused(headers);

  const requests: JsonRpcRequest[] = [];
  for (const message of parsed.messages) {
    if (isRequest(message)) requests.push(message);
    else if (isResponse(message)) await sessions.reply(session.id, message);
    else if (isNotification(message)) await onNotification(config, session, message.method, message.params);
  }
  if (requests.length === 0) return emptyResponse(202, headers);
  return serveRequests(config, request, accept, session, requests, parsed.batch, headers);
}

async function onNotification(
  config: HandlerConfig,
  session: SessionRecord,
  method: string,
  params: Record<string, unknown> | undefined,
): Promise<void> {
  const sessions = config.sessions;
  if (!sessions) return;
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
  request: Request,
  accept: AcceptedTypes,
  message: JsonRpcRequest,
  headers: HeaderRecord,
): Promise<Response> {
  const sessions = config.sessions;
  if (!sessions) throw new Error("stateful request without a session runtime");
  const params = message.params ?? {};
  const capabilities = params.capabilities;
  const clientInfo = params.clientInfo;
  if (
    typeof capabilities !== "object" ||
    capabilities === null ||
    typeof clientInfo !== "object" ||
    clientInfo === null
  ) {
    return rpcErrorResponse(
      400,
      ErrorCode.InvalidParams,
      "initialize needs capabilities and clientInfo",
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
  return serveRequests(config, request, accept, session, [message], false, {
    ...headers,
    [Header.SessionId]: session.id,
  });
}

function serveRequests(
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  session: SessionRecord,
  requests: JsonRpcRequest[],
  batch: boolean,
  headers: HeaderRecord,
): Promise<Response> {
  const sessions = config.sessions;
  if (!sessions) throw new Error("stateful request without a session runtime");
  const eventStore = sessions.eventStore;
  const resumable: Resumability | undefined =
    eventStore && !batch
      ? {
          eventStore,
          // Drawn on first use: most answers are plain JSON and never need a stream id.
          get streamId() {
            const id = `${session.id}.${newShortId()}`;
            Object.defineProperty(this, "streamId", { value: id });
            return id;
          },
          live: sessions.live,
          primeRetryMs: isAtLeast(session.protocolVersion, PRIMING_MIN_PROTOCOL_VERSION) ? config.retryMs : undefined,
        }
      : undefined;
  const exchange = new PostExchange({
    canStream: accept.sse && config.responseMode !== "json",
    eager: config.responseMode === "sse",
    headers,
    keepAliveIntervalMs: config.keepAliveIntervalMs,
    maxStreamDurationMs: config.maxStreamDurationMs,
    resumable,
    onError: (error) => config.onError(error, {}),
  });
  const send = (message: JsonRpcMessage) => exchange.send(message);
  const channel: RequestChannel = {
    notify: async (message) => {
      exchange.send(message);
    },
    request: (method, params, options) => sessions.request(session.id, send, method, params, options),
    closeSSEStream: () => exchange.closeConnection(),
  };
  const updateSession = (change: (record: SessionRecord) => void) => sessions.update(session, change);
  const answers = requests.map(async (message) => {
    const controller = new AbortController();
    const release = sessions.track(session.id, message.id, controller);
    try {
      return await answer(config, {
        requestId: message.id,
        method: message.method,
        params: message.params,
        signal: controller.signal,
        protocolVersion: session.protocolVersion,
        channel,
        session,
        updateSession,
        httpRequest: request,
      });
    } finally {
      release();
    }
  });
  Promise.all(answers).then((responses) => exchange.finish(responses, batch));
  return exchange.response;
}
