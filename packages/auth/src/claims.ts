import type { JWTPayload } from "jose";

/** Scopes as issuers write them: RFC 9068 / RFC 8693 `scope` (space-separated) or `scp` (a list or a string). */
export function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  const list = typeof raw === "string" ? raw.split(" ") : Array.isArray(raw) ? raw : [];
  return list.filter((scope): scope is string => typeof scope === "string" && scope.length > 0);
}

/** The client the token was issued to: RFC 9068 `client_id`, or OIDC's `azp`. */
export function clientIdOf(payload: JWTPayload): string | undefined {
  const value = payload.client_id ?? payload.azp;
  return typeof value === "string" ? value : undefined;
}
