import { AuthError } from "@mcp-edge/core/stateless";

/** RFC 6750 §2.1 b64token: the only characters a bearer credential may hold. */
const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

/**
 * The bearer token of a request's `Authorization` header: null when there is none, an `AuthError`
 * for a header that is not one Bearer credential (another scheme, two headers joined by a comma, a
 * token longer than `maxBytes`). The token is never quoted in the error.
 */
export function bearerToken(request: Request, maxBytes: number): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  if (header.length > maxBytes + 64) {
    throw new AuthError("invalid_token", `the access token is longer than ${maxBytes} bytes`);
  }
  const match = BEARER.exec(header);
  if (!match?.[1]) {
    throw new AuthError("invalid_request", "the Authorization header must carry one Bearer token");
  }
  return match[1];
}
