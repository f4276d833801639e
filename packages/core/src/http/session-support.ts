import * as Defaults from "../protocol/defaults.js";
import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import type { McpServerOptions } from "../server/options.js";
import { InMemoryEventStore } from "../session/memory-event-store.js";
import { InMemorySessionStore } from "../session/memory-session-store.js";
import { InMemoryStreamManager } from "../session/memory-stream-manager.js";
import { SessionRuntime } from "../session/session-runtime.js";
import { type AcceptedTypes, parseAccept } from "./accept.js";
import type { HandlerConfig, SessionSupport } from "./config.js";
import { handleGet } from "./get-stream.js";
import { emptyResponse, type HeaderRecord, rpcErrorResponse } from "./responses.js";
import { loadSession } from "./session-access.js";
import { handleStatefulPost } from "./stateful-post.js";

function methodNotAllowed(allow: string, headers: HeaderRecord): Response {
  return rpcErrorResponse(405, ErrorCode.BadRequest, "Method Not Allowed", { ...headers, [Header.Allow]: allow });
}

function createRuntime(options: McpServerOptions, onError: (error: unknown) => void): SessionRuntime {
  return new SessionRuntime({
    store: options.sessionStore ?? new InMemorySessionStore(),
    streamManager: options.streamManager ?? new InMemoryStreamManager(),
    eventStore: options.eventStore === false ? undefined : (options.eventStore ?? new InMemoryEventStore()),
    idleTimeoutMs: options.sessionIdleTimeoutMs ?? Defaults.sessionIdleTimeoutMs,
    serverRequestTimeoutMs: options.serverRequestTimeoutMs ?? Defaults.serverRequestTimeoutMs,
    onError,
    checkIntervalMs: positive(options.keepAliveIntervalMs, Defaults.keepAliveIntervalMs),
    maxStreams: options.maxStreamsPerInstance ?? Defaults.maxStreamsPerInstance,
    maxPendingServerRequests: options.maxPendingServerRequestsPerSession ?? Defaults.maxPendingServerRequestsPerSession,
    maxInFlightRequests: options.maxInFlightRequestsPerSession ?? Defaults.maxInFlightRequestsPerSession,
    requestHeartbeatIntervalMs: positive(options.requestHeartbeatIntervalMs, Defaults.requestHeartbeatIntervalMs),
    requestHeartbeatTimeoutMs: positive(options.requestHeartbeatTimeoutMs, Defaults.requestHeartbeatTimeoutMs),
  });
}

/** A timer's period: the option when it is a positive number, else the default (0 means "no timer" nowhere here). */
function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && value > 0 ? value : fallback;
}

/** GET: the session's standalone SSE stream, or the replay of one of its streams (Last-Event-ID). */
async function openStream(
  config: HandlerConfig,
  sessions: SessionRuntime,
  request: Request,
  headers: HeaderRecord,
  allow: string,
): Promise<Response> {
  const accept = parseAccept(request.headers.get(Header.Accept));
  if (!accept.sse)
    return rpcErrorResponse(
      406,
      ErrorCode.BadRequest,
      "Not Acceptable: Accept must include text/event-stream",
      headers,
    );
  // In auto mode a client with no session is a stateless one: tell it there is no stream to open.
  if (config.stateless === undefined && !request.headers.has(Header.SessionId)) return methodNotAllowed(allow, headers);
  const session = await loadSession(config, sessions, request, headers);
  if (session instanceof Response) return session;
  return handleGet(config, sessions, request, session, headers);
}

/** DELETE: ends the session, whatever the Accept header says. */
async function endSession(
  config: HandlerConfig,
  sessions: SessionRuntime,
  request: Request,
  headers: HeaderRecord,
  allow: string,
): Promise<Response> {
  if (config.stateless === undefined && !request.headers.has(Header.SessionId)) return methodNotAllowed(allow, headers);
  const session = await loadSession(config, sessions, request, headers);
  if (session instanceof Response) return session;
  await sessions.end(session.id);
  return emptyResponse(200, headers);
}

/**
 * Everything sessions add to the endpoint. `McpServer` from `@mcp-edge/core` plugs it in; the
 * stateless preset (`@mcp-edge/core/stateless`) does not, so none of it reaches that bundle.
 */
export const sessionSupport: SessionSupport = {
  createRuntime,
  bind: (sessions) => ({
    post: (config, request, accept: AcceptedTypes, parsed, headers) =>
      handleStatefulPost(config, sessions, request, accept, parsed, headers),
    get: (config, request, headers, allow) => openStream(config, sessions, request, headers, allow),
    remove: (config, request, headers, allow) => endSession(config, sessions, request, headers, allow),
  }),
};
