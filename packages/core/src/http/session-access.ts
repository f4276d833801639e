import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import { isWellFormedSessionId } from "../session/session-id.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import { isStoreUnavailable, type SessionRecord } from "../session/types.js";
import type { HandlerConfig } from "./config.js";
import { storeUnavailableResponse } from "./error-mapping.js";
import { type HeaderRecord, rpcErrorResponse } from "./responses.js";

export function sessionNotFound(headers: HeaderRecord): Response {
  return rpcErrorResponse(404, ErrorCode.SessionNotFound, "Session not found", headers);
}

/**
 * The session a request names: 400 without the header, 404 when unknown, expired, ended or owned
 * by another principal, 503 when the store cannot answer.
 */
export async function loadSession(
  config: HandlerConfig,
  sessions: SessionRuntime,
  request: Request,
  headers: HeaderRecord,
): Promise<SessionRecord | Response> {
  const sessionId = request.headers.get(Header.SessionId);
  if (sessionId === null) {
    return rpcErrorResponse(400, ErrorCode.BadRequest, "Bad Request: Mcp-Session-Id header is required", headers);
  }
  if (!isWellFormedSessionId(sessionId)) return sessionNotFound(headers);
  let session: SessionRecord | undefined;
  try {
    session = await sessions.load(sessionId);
  } catch (error) {
    if (isStoreUnavailable(error)) return storeUnavailableResponse(headers);
    throw error;
  }
  if (!session) return sessionNotFound(headers);
  if (session.authSubject !== undefined || config.authSubject) {
    const subject = config.authSubject ? await config.authSubject(request) : undefined;
    // Do not reveal that the session exists to a principal that does not own it.
    if (subject !== session.authSubject) return sessionNotFound(headers);
  }
  return session;
}
