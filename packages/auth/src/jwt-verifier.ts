import type { Principal } from "@mcp-edge/core/stateless";
import { AuthError } from "@mcp-edge/core/stateless";
import { errors, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from "jose";
import { allowedAlgorithms } from "./algorithms.js";
import { bearerToken } from "./bearer-token.js";
import { clientIdOf, scopesOf } from "./claims.js";
import { type JwksOptions, KeySetUnavailableError, localKeys, remoteKeys } from "./key-source.js";

export interface JwtVerifierOptions {
  /** The issuer (`iss`) tokens must name; several when more than one authorization server issues them. */
  issuer: string | readonly string[];
  /**
   * The audience (`aud`) tokens must name: this MCP server's canonical resource URI (RFC 8707), so a
   * token issued for another service is refused here.
   */
  audience: string | readonly string[];
  /** Where the issuer publishes its keys (its `jwks_uri`). */
  jwksUrl?: string | URL;
  /** Keys given in configuration instead of (or without) a URL. */
  jwks?: JSONWebKeySet;
  /** Fetching and keeping the remote key set. */
  jwksOptions?: JwksOptions;
  /** Accepted signature algorithms, asymmetric only. Default: RS*, PS*, ES*, EdDSA. */
  algorithms?: readonly string[];
  /** Seconds of clock difference tolerated on `exp`, `nbf` and `iat`. Default 60. */
  clockToleranceSec?: number;
  /** Require the RFC 9068 access-token type (`typ: at+jwt`). Default false: many issuers omit it. */
  requireAccessTokenType?: boolean;
  /** Longest `Authorization` header accepted, in bytes (400/401 above, before any parsing). Default 8 KiB. */
  maxTokenBytes?: number;
}

/** Whose fault a failed verification is: the token's (401) or the key source's (503, reported). */
function classify(error: unknown): AuthError | undefined {
  if (error instanceof KeySetUnavailableError || error instanceof errors.JWKSTimeout) return undefined;
  if (error instanceof errors.JWTExpired) return new AuthError("invalid_token", "the access token expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthError("invalid_token", `the access token's ${error.claim} claim is not accepted`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthError("invalid_token", "the access token's signature algorithm is not accepted");
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new AuthError("invalid_token", "no key of the issuer verifies the access token");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthError("invalid_token", "the access token's signature is not valid");
  }
  if (error instanceof errors.JOSEError || error instanceof TypeError) {
    return new AuthError("invalid_token", "the access token is not a valid JWT");
  }
  return undefined;
}

function keySource(options: JwtVerifierOptions): JWTVerifyGetKey {
  if (options.jwksUrl !== undefined && options.jwks !== undefined) {
    throw new Error("give either jwksUrl or jwks, not both");
  }
  if (options.jwksUrl !== undefined) return remoteKeys(options.jwksUrl, options.jwksOptions);
  if (options.jwks !== undefined) return localKeys(options.jwks, options.jwksOptions?.maxKeys);
  throw new Error("a JWT verifier needs the issuer's keys: jwksUrl or jwks");
}

/**
 * A verifier for `auth.authenticate`: reads the request's bearer token and checks it is a JWT signed by
 * one of the issuer's keys with an accepted algorithm, issued by `issuer` for `audience`, and current.
 * Answers the principal; a missing token is null, a refused one an `AuthError` (the core answers 401 /
 * 400), an unreachable key set a plain error (the core answers 503 and reports it).
 */
export function createJwtVerifier(options: JwtVerifierOptions): (request: Request) => Promise<Principal | null> {
  const algorithms = allowedAlgorithms(options.algorithms);
  const keys = keySource(options);
  const issuer = typeof options.issuer === "string" ? options.issuer : [...options.issuer];
  const audience = typeof options.audience === "string" ? options.audience : [...options.audience];
  if (issuer.length === 0 || audience.length === 0) throw new Error("issuer and audience must not be empty");
  const maxTokenBytes = options.maxTokenBytes ?? 8192;
  const verifyOptions = {
    issuer,
    audience,
    algorithms,
    clockTolerance: options.clockToleranceSec ?? 60,
    requiredClaims: ["sub", "exp"],
    ...(options.requireAccessTokenType ? { typ: "at+jwt" } : {}),
  };

  return async (request) => {
    const token = bearerToken(request, maxTokenBytes);
    if (token === null) return null;
    let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
    try {
      ({ payload } = await jwtVerify(token, keys, verifyOptions));
    } catch (error) {
      const refusal = classify(error);
      if (refusal) throw refusal;
      throw new KeySetUnavailableError("the issuer's keys could not be read", { cause: error });
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0) {
      throw new AuthError("invalid_token", "the access token names no subject");
    }
    const principal: { -readonly [K in keyof Principal]: Principal[K] } = {
      subject: payload.sub,
      scopes: scopesOf(payload),
      claims: payload,
    };
    if (typeof payload.exp === "number") principal.expiresAt = payload.exp;
    const clientId = clientIdOf(payload);
    if (clientId !== undefined) principal.clientId = clientId;
    return principal;
  };
}
