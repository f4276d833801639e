import type { EndpointAuth } from "../http/config.js";
import { type HeaderRecord, rpcErrorResponse } from "../http/responses.js";
import * as ErrorCode from "../protocol/error-code.js";
import { AuthHeader, BearerError, OFFLINE_ACCESS_SCOPE } from "../protocol/oauth.js";
import type { Dispatcher } from "../server/dispatcher.js";
import { isAuthError } from "./auth-error.js";
import { type Challenge, challengeResponse } from "./challenge.js";
import { ItemPolicy, itemsOf } from "./item-policy.js";
import { MetadataRoute, metadataUrl, parseResource } from "./metadata.js";
import { principalOf, rememberPrincipal } from "./request-principal.js";
import { ScopedDispatcher } from "./scoped-dispatcher.js";
import { expandScopes, missingScopes, unionScopes } from "./scopes.js";
import type { Authenticated, AuthOptions, Principal } from "./types.js";

type ReportError = (error: unknown, context: { method?: string }) => void;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** Checks what the options cannot express in types (at construction, so a mistake fails fast). */
function validateAuthOptions(options: AuthOptions): URL {
  if (typeof options !== "object" || options === null) throw new TypeError("protectedResource needs auth options");
  if (typeof options.authenticate !== "function") throw new Error("auth.authenticate must be a function");
  const url = parseResource(options.resource);
  const servers = options.authorizationServers;
  if (!isStringArray(servers) || servers.length === 0) {
    throw new Error("auth.authorizationServers must name at least one authorization server");
  }
  for (const server of servers) {
    if (!URL.canParse(server)) throw new Error(`auth.authorizationServers: ${server.slice(0, 100)} is not a URL`);
  }
  return url;
}

/** RFC 6750 §2.3 is the one way MCP forbids: a token in the query string ends up in logs and histories. */
function hasQueryToken(url: string): boolean {
  const query = url.indexOf("?");
  if (query < 0) return false;
  const hash = url.indexOf("#", query);
  return new URLSearchParams(url.slice(query + 1, hash < 0 ? undefined : hash)).has("access_token");
}

/**
 * The endpoint's OAuth 2.1 resource-server side: the metadata route, the 401/403 challenges, the
 * principal every admitted request carries, and the lists filtered by scope. Built by
 * `protectedResource`; the server reaches every piece of auth code through it.
 */
export class AuthGate implements EndpointAuth {
  readonly kind = "protectedResource";
  readonly #options: AuthOptions;
  readonly #metadata: MetadataRoute;
  readonly #metadataUrl: string;
  readonly #required: readonly string[];
  readonly #policy: ItemPolicy;

  constructor(options: AuthOptions) {
    const url = validateAuthOptions(options);
    this.#options = options;
    this.#metadata = new MetadataRoute(options, url);
    this.#metadataUrl = metadataUrl(url);
    this.#required = [...(options.requiredScopes ?? [])];
    this.#policy = new ItemPolicy(options);
  }

  /** The metadata document when `path` is one of its well-known URIs. */
  metadata(method: string, path: string): Response | undefined {
    return this.#metadata.answer(method, path);
  }

  /** The server's dispatcher: its lists leave out what the request's principal may not use. */
  dispatcher(...args: ConstructorParameters<typeof Dispatcher>): Dispatcher {
    return new ScopedDispatcher(this.#policy, ...args);
  }

  /** The session subject of an admitted request. */
  subject(request: Request): string | undefined {
    return principalOf(request)?.subject;
  }

  #challenge(
    headers: HeaderRecord,
    fields: Omit<Challenge, "resourceMetadata" | "scopes">,
    scopes?: readonly string[],
  ) {
    const challengeScopes =
      scopes ??
      (this.#required.length > 0
        ? this.#required
        : (this.#options.scopesSupported ?? []).filter((scope) => scope !== OFFLINE_ACCESS_SCOPE));
    return challengeResponse({ resourceMetadata: this.#metadataUrl, scopes: challengeScopes, ...fields }, headers);
  }

  /**
   * Authenticates the request before anything reads its body: undefined when admitted (its principal
   * is then remembered beside it), otherwise the answer.
   */
  async admit(request: Request, headers: HeaderRecord, report: ReportError): Promise<Response | undefined> {
    if (hasQueryToken(request.url)) {
      return this.#challenge(headers, {
        error: BearerError.InvalidRequest,
        description: "access tokens are not accepted in the query string; send an Authorization: Bearer header",
      });
    }
    let authenticated: Authenticated;
    try {
      authenticated = await this.#options.authenticate(request);
    } catch (error) {
      if (isAuthError(error)) return this.#challenge(headers, { error: error.code, description: error.message });
      report(error, { method: "authenticate" });
      return rpcErrorResponse(
        503,
        ErrorCode.InternalError,
        "Service Unavailable: the access token could not be verified",
        {
          ...headers,
          "retry-after": "1",
        },
      );
    }
    if (authenticated === null || authenticated === undefined) {
      if (request.headers.get(AuthHeader.Authorization) === null) return this.#challenge(headers, {});
      return this.#challenge(headers, {
        error: BearerError.InvalidToken,
        description: "the access token is not valid",
      });
    }
    const principal = this.#normalize(authenticated);
    if (principal === undefined) {
      report(new TypeError("auth.authenticate returned something that is not a principal"), { method: "authenticate" });
      return rpcErrorResponse(500, ErrorCode.InternalError, "Internal error", headers);
    }
    const missing = missingScopes(this.#policy.held(principal), this.#required);
    if (missing.length > 0) {
      return this.#challenge(
        headers,
        { error: BearerError.InsufficientScope, description: `this server needs the scopes: ${missing.join(" ")}` },
        this.#required,
      );
    }
    rememberPrincipal(request, principal);
    return undefined;
  }

  /**
   * 403 `insufficient_scope` when a message (or any message of a batch) calls, reads, completes or
   * listens to an item the request's principal lacks scopes for; the challenge names every scope the
   * request needs.
   */
  refuseItems(request: Request, body: unknown, headers: HeaderRecord): Response | undefined {
    const principal = principalOf(request);
    if (principal === undefined) return undefined;
    const messages = Array.isArray(body) ? body : [body];
    let needed: string[] | undefined;
    const refused: string[] = [];
    for (const message of messages) {
      for (const item of itemsOf(message)) {
        if (this.#policy.allows(principal, item.kind, item.key)) continue;
        needed = unionScopes(needed ?? this.#required, this.#policy.required(item.kind, item.key));
        if (refused.length < 5) refused.push(item.key.slice(0, 100));
      }
    }
    if (needed === undefined) return undefined;
    return this.#challenge(
      headers,
      {
        error: BearerError.InsufficientScope,
        description: `${refused.join(", ")} needs the scopes: ${needed.join(" ")}`,
      },
      needed,
    );
  }

  /** A frozen copy with implied scopes added; undefined for a value that is not a principal. */
  #normalize(value: unknown): Principal | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const candidate = value as Record<string, unknown>;
    const { subject, scopes, claims, expiresAt, clientId } = candidate;
    if (typeof subject !== "string" || subject.length === 0 || !isStringArray(scopes)) return undefined;
    if (claims !== undefined && (typeof claims !== "object" || claims === null)) return undefined;
    const principal: {
      subject: string;
      scopes: readonly string[];
      claims: Readonly<Record<string, unknown>>;
      expiresAt?: number;
      clientId?: string;
    } = {
      subject,
      scopes: Object.freeze(expandScopes(scopes, this.#options.impliedScopes)),
      claims: Object.freeze({ ...(claims as Record<string, unknown> | undefined) }),
    };
    if (typeof expiresAt === "number" && Number.isFinite(expiresAt)) principal.expiresAt = expiresAt;
    if (typeof clientId === "string") principal.clientId = clientId;
    return Object.freeze(principal);
  }
}
