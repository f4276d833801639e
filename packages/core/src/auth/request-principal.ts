import type { Principal } from "./types.js";

/**
 * The principal the auth gate admitted each request as, kept beside the request in a WeakMap: the
 * dispatcher and `ctx` reach it through the request they already hold, and nothing outlives it.
 */
const byRequest = new WeakMap<Request, Principal>();

export function rememberPrincipal(request: Request, principal: Principal): void {
  byRequest.set(request, principal);
}

export function principalOf(request: Request | undefined): Principal | undefined {
  return request === undefined ? undefined : byRequest.get(request);
}
