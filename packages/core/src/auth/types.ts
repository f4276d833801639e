/**
 * Who a verified access token speaks for, as handlers see it (`ctx.auth`). Never the token itself:
 * a server must not pass tokens on, so nothing downstream of the verifier ever holds one.
 */
export interface Principal {
  /** The principal's identifier at its issuer (a JWT's `sub`); sessions are bound to it. */
  readonly subject: string;
  /** Scopes the token grants, with the scopes they imply (`impliedScopes`) added. */
  readonly scopes: readonly string[];
  /** The token's verified claims. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** When the token expires, in seconds since the epoch (a JWT's `exp`). */
  readonly expiresAt?: number;
  /** The OAuth client the token was issued to, when the issuer says (`client_id` / `azp`). */
  readonly clientId?: string;
}

/** What `authenticate` may return: a principal, or nothing for a request that carries no usable token. */
export type Authenticated = Principal | null | undefined;

/** Scopes a principal needs, all of them, for one tool, prompt or resource, keyed by its name. */
export type ScopeRequirements = Readonly<Record<string, readonly string[]>>;

/**
 * Makes the server an OAuth 2.1 protected resource: every MCP request must carry a bearer token that
 * `authenticate` accepts, and `/.well-known/oauth-protected-resource` describes where to get one.
 */
export interface AuthOptions {
  /**
   * Verifies the request's `Authorization: Bearer` token. Return the principal, or null when the
   * request carries no token (answered 401 with a challenge). Throw an `AuthError` to refuse a token
   * (`invalid_token`: 401, `invalid_request`: 400); any other error is reported to `onError` and
   * answered 503, since it says the verifier, not the client, failed.
   */
  authenticate(request: Request): Authenticated | Promise<Authenticated>;
  /**
   * The canonical URI of this MCP endpoint (RFC 8707), e.g. `https://mcp.example.com/mcp`: what
   * tokens must be issued for (their audience) and what the metadata names. Never taken from the
   * request, whose Host a client chooses.
   */
  resource: string;
  /** Issuers of tokens for this resource (RFC 9728 `authorization_servers`); at least one. */
  authorizationServers: readonly string[];
  /** Scopes advertised in the metadata (`offline_access` is never advertised). Default: every scope named below. */
  scopesSupported?: readonly string[];
  /** Scopes every request needs (403 `insufficient_scope` without them); named in the 401 challenge. */
  requiredScopes?: readonly string[];
  /**
   * Scopes per tool, prompt and resource (a resource by its URI or template; a key ending in `*`
   * matches URIs that start with what precedes it). A principal without them does not see the item
   * in lists, and calling or reading it is answered 403 `insufficient_scope`.
   */
  scopes?: {
    tools?: ScopeRequirements;
    prompts?: ScopeRequirements;
    resources?: ScopeRequirements;
  };
  /** Scope hierarchy of the issuer: a scope and the scopes it implies, e.g. `{ admin: ["read", "write"] }`. */
  impliedScopes?: ScopeRequirements;
  /** Human-readable name of the resource, for the metadata (`resource_name`). */
  resourceName?: string;
  /** Where people read about this resource (`resource_documentation`). */
  resourceDocumentation?: string;
}
