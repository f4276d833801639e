// `@mcp-edge/auth`: OAuth 2.1 access-token verification for mcp-edge servers, on jose (Web Crypto only,
// so it runs wherever the core does).
export { ASYMMETRIC_ALGORITHMS } from "./algorithms.js";
export { bearerToken } from "./bearer-token.js";
export { type JwtAuthOptions, jwtAuth } from "./jwt-auth.js";
export { createJwtVerifier, type JwtVerifierOptions } from "./jwt-verifier.js";
export { type JwksOptions, KeySetUnavailableError } from "./key-source.js";
