import { type HeaderRecord, rpcErrorResponse } from "../http/responses.js";
import * as ErrorCode from "../protocol/error-code.js";
import { AuthHeader, BEARER_ERROR_STATUS, BEARER_SCHEME, type BearerErrorCode } from "../protocol/oauth.js";

/** Longest `error_description` sent: enough to say what failed, too short to carry a token back. */
const MAX_DESCRIPTION = 200;

/**
 * RFC 6750 §3 allows only %x20-21 / %x23-5B / %x5D-7E inside the quoted values of a challenge: no
 * quote or backslash to break out of the string, no control character to split the header.
 */
function quotable(value: string, max: number): string {
  let out = "";
  for (const char of value.slice(0, max)) {
    const code = char.charCodeAt(0);
    const allowed = char.length === 1 && code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c;
    out += allowed ? char : "?";
  }
  return out;
}

/** A scope token (RFC 6749 §3.3 NQCHAR): anything else cannot be named in a challenge. */
function isScopeToken(scope: string): boolean {
  if (scope.length === 0) return false;
  for (let i = 0; i < scope.length; i++) {
    const code = scope.charCodeAt(i);
    if (code < 0x21 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

export interface Challenge {
  resourceMetadata: string;
  scopes: readonly string[];
  error?: BearerErrorCode;
  description?: string;
}

/** The `WWW-Authenticate` value of one Bearer challenge. */
export function challengeHeader(challenge: Challenge): string {
  const parts = [`resource_metadata="${quotable(challenge.resourceMetadata, 2048)}"`];
  if (challenge.error !== undefined) parts.unshift(`error="${challenge.error}"`);
  const scopes = challenge.scopes.filter(isScopeToken);
  if (scopes.length > 0) parts.push(`scope="${scopes.join(" ")}"`);
  if (challenge.description !== undefined) {
    parts.push(`error_description="${quotable(challenge.description, MAX_DESCRIPTION)}"`);
  }
  return `${BEARER_SCHEME} ${parts.join(", ")}`;
}

/**
 * The answer to a request refused for its credentials: the status RFC 6750 gives the error (401 when
 * there is none, i.e. no credentials were sent), the challenge, and a JSON-RPC error body for clients
 * that only read bodies.
 */
export function challengeResponse(challenge: Challenge, headers: HeaderRecord): Response {
  const status = challenge.error === undefined ? 401 : BEARER_ERROR_STATUS[challenge.error];
  const reason =
    challenge.error === "insufficient_scope"
      ? "Forbidden: insufficient scope"
      : challenge.error === "invalid_request"
        ? "Bad Request: invalid credentials request"
        : "Unauthorized";
  const message =
    challenge.description === undefined ? reason : `${reason}: ${quotable(challenge.description, MAX_DESCRIPTION)}`;
  return rpcErrorResponse(status, ErrorCode.BadRequest, message, {
    ...headers,
    [AuthHeader.WwwAuthenticate]: challengeHeader(challenge),
  });
}
