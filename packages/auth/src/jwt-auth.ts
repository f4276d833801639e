import { type AuthOptions, type ProtectedResource, protectedResource } from "@mcp-edge/core/stateless";
import { createJwtVerifier, type JwtVerifierOptions } from "./jwt-verifier.js";

/** `jwtAuth` options: the verifier's, plus what the core publishes and enforces. */
export interface JwtAuthOptions
  extends Omit<JwtVerifierOptions, "audience" | "issuer">,
    Omit<AuthOptions, "authenticate" | "authorizationServers"> {
  /** The issuer (`iss`) of accepted tokens; also the authorization server named in the metadata. */
  issuer: string;
  /** Authorization servers named in the metadata. Default: `[issuer]`. */
  authorizationServers?: readonly string[];
  /** Audiences accepted besides `resource` (an issuer that stamps another identifier of this server). Default none. */
  additionalAudiences?: readonly string[];
}

/**
 * The `auth` option of an `McpServer` whose access tokens are JWTs: verified with jose against the
 * issuer's keys, audience-bound to `resource`, scopes enforced per server and per item by the core.
 * It is `protectedResource()` of the core with a JWT verifier as `authenticate`.
 *
 * ```ts
 * new McpServer({ name, version, auth: jwtAuth({
 *   issuer: "https://auth.example.com", jwksUrl: "https://auth.example.com/.well-known/jwks.json",
 *   resource: "https://mcp.example.com/mcp", requiredScopes: ["mcp"],
 * }) });
 * ```
 */
export function jwtAuth(options: JwtAuthOptions): ProtectedResource {
  const { issuer, authorizationServers, additionalAudiences, resource, ...rest } = options;
  const authenticate = createJwtVerifier({
    ...rest,
    issuer,
    audience: [resource, ...(additionalAudiences ?? [])],
  });
  const auth: AuthOptions = {
    authenticate,
    resource,
    authorizationServers: authorizationServers ?? [issuer],
  };
  if (options.scopesSupported !== undefined) auth.scopesSupported = options.scopesSupported;
  if (options.requiredScopes !== undefined) auth.requiredScopes = options.requiredScopes;
  if (options.scopes !== undefined) auth.scopes = options.scopes;
  if (options.impliedScopes !== undefined) auth.impliedScopes = options.impliedScopes;
  if (options.resourceName !== undefined) auth.resourceName = options.resourceName;
  if (options.resourceDocumentation !== undefined) auth.resourceDocumentation = options.resourceDocumentation;
  return protectedResource(auth);
}
