// Locally generated keys and tokens: real jose signatures, no network.
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(kid: string, alg: "RS256" | "ES256" | "EdDSA" = "RS256"): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicJwk };
}

export const ISSUER = "https://issuer.test";
export const RESOURCE = "https://mcp.test/mcp";

export interface TokenOptions {
  claims?: JWTPayload;
  issuer?: string;
  audience?: string | string[];
  expiresIn?: number | string;
  header?: Record<string, unknown>;
}

/** A signed access token; `claims.scope` etc. as the test wants. */
export async function sign(key: TestKey, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ sub: "alice", scope: "mcp read", ...options.claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...options.header })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? RESOURCE)
    .setIssuedAt(now);
  jwt.setExpirationTime(options.expiresIn ?? now + 300);
  return jwt.sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An unsecured JWT (`alg: none`), as an attacker would forge one. */
export function unsigned(claims: JWTPayload = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "mallory", scope: "mcp admin", iss: ISSUER, aud: RESOURCE, exp: now + 300, ...claims })}.`;
}
