import type { BearerErrorCode } from "../protocol/oauth.js";

/**
 * Thrown by `authenticate` to refuse a request's token: `invalid_token` (401) for a token that is
 * malformed, expired, revoked or meant for another resource; `invalid_request` (400) for a request
 * that carries credentials the wrong way. The message reaches the client as `error_description`, so it
 * must describe the failure without quoting the token.
 */
export class AuthError extends Error {
  readonly code: Exclude<BearerErrorCode, "insufficient_scope">;

  constructor(code: Exclude<BearerErrorCode, "insufficient_scope">, message: string) {
    super(message);
    this.name = "AuthError";
    this.code = code;
  }
}

/** By shape as well as class, so an error from another copy of the core is still recognised. */
export function isAuthError(error: unknown): error is AuthError {
  if (error instanceof AuthError) return true;
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown; message?: unknown };
  return (
    candidate.name === "AuthError" &&
    (candidate.code === "invalid_token" || candidate.code === "invalid_request") &&
    typeof candidate.message === "string"
  );
}
