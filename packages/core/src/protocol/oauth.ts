/**
 * OAuth 2.1 names an MCP server meets as a protected resource (RFC 6750 bearer tokens, RFC 9728
 * protected resource metadata, RFC 8707 resource indicators). The one source of truth for them.
 */

/** RFC 9728 §3: where protected resource metadata lives; the resource's path, if any, follows it. */
export const PROTECTED_RESOURCE_WELL_KNOWN = "/.well-known/oauth-protected-resource";

export const AuthHeader = {
  Authorization: "authorization",
  WwwAuthenticate: "www-authenticate",
} as const;

/** The authentication scheme of bearer tokens (RFC 6750 §2.1). */
export const BEARER_SCHEME = "Bearer";

/** RFC 6750 §3.1 error codes, each with the HTTP status it is sent with. */
export const BearerError = {
  InvalidRequest: "invalid_request",
  InvalidToken: "invalid_token",
  InsufficientScope: "insufficient_scope",
} as const;
export type BearerErrorCode = (typeof BearerError)[keyof typeof BearerError];

export const BEARER_ERROR_STATUS: Record<BearerErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
};

/** A scope an MCP server never advertises: refresh tokens are the client's and the AS's business. */
export const OFFLINE_ACCESS_SCOPE = "offline_access";
