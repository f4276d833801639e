// The JWT verifier on real jose with locally generated keys: signatures, claims, algorithms, and the
// remote key set's rotation, bounds and failures (served on loopback).
import { McpServer } from "@mcp-edge/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createJwtVerifier, jwtAuth } from "../src/index.js";
import { type IssuerServer, startIssuer } from "./issuer-server.js";
import { ISSUER, makeKey, RESOURCE, sign, type TestKey, unsigned } from "./keys.js";

let issuer: IssuerServer;
let rsa: TestKey;
let ec: TestKey;

beforeAll(async () => {
  issuer = await startIssuer();
  rsa = await makeKey("rsa-1", "RS256");
  ec = await makeKey("ec-1", "ES256");
});
afterAll(() => issuer.close());

const request = (token?: string, header = token === undefined ? undefined : `Bearer ${token}`) =>
  new Request(RESOURCE, { method: "POST", headers: header === undefined ? {} : { authorization: header } });

function localVerifier(extra: Partial<Parameters<typeof createJwtVerifier>[0]> = {}) {
  return createJwtVerifier({
    issuer: ISSUER,
    audience: RESOURCE,
    jwks: { keys: [rsa.publicJwk, ec.publicJwk] },
    ...extra,
  });
}

async function refusal(promise: Promise<unknown>): Promise<{ name: string; code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; code?: string; message: string };
  }
  throw new Error("the token was accepted");
}

describe("createJwtVerifier", () => {
  it("accepts a token signed by the issuer's key, for this resource, and reads its principal", async () => {
    const verify = localVerifier();
    const token = await sign(rsa, { claims: { sub: "alice", scope: "mcp read", client_id: "cli" } });
    const principal = await verify(request(token));
    expect(principal).toMatchObject({ subject: "alice", scopes: ["mcp", "read"], clientId: "cli" });
    expect(typeof principal?.expiresAt).toBe("number");
    expect(JSON.stringify(principal)).not.toContain(token);
    const ecPrincipal = await verify(request(await sign(ec, { claims: { scope: undefined, scp: ["a", "b"] } })));
    expect(ecPrincipal?.scopes).toEqual(["a", "b"]);
  });

  it("answers null without a token", async () => {
    expect(await localVerifier()(request())).toBeNull();
  });

  it("refuses expired tokens, beyond the clock skew only", async () => {
    const now = Math.floor(Date.now() / 1000);
    const verify = localVerifier({ clockToleranceSec: 30 });
    const expired = await refusal(verify(request(await sign(rsa, { expiresIn: now - 31 }))));
    expect(expired).toMatchObject({ name: "AuthError", code: "invalid_token", message: "the access token expired" });
    expect(await verify(request(await sign(rsa, { expiresIn: now - 20 })))).not.toBeNull();
    const early = await refusal(verify(request(await sign(rsa, { claims: { nbf: now + 120 } }))));
    expect(early).toMatchObject({ code: "invalid_token" });
  });

  it("refuses a token for another audience or from another issuer (RFC 8707 audience binding)", async () => {
    const verify = localVerifier();
    expect(await refusal(verify(request(await sign(rsa, { audience: "https://other.test/mcp" }))))).toMatchObject({
      code: "invalid_token",
      message: "the access token's aud claim is not accepted",
    });
    expect(await refusal(verify(request(await sign(rsa, { issuer: "https://evil.test" }))))).toMatchObject({
      code: "invalid_token",
      message: "the access token's iss claim is not accepted",
    });
    expect(await refusal(verify(request(await sign(rsa, { claims: { sub: undefined } }))))).toMatchObject({
      code: "invalid_token",
    });
  });

  it("refuses alg none and HS/RS confusion", async () => {
    const verify = localVerifier();
    expect(await refusal(verify(request(unsigned())))).toMatchObject({ code: "invalid_token" });
    // The attack: HMAC-sign with the issuer's *public* key as the secret, hoping it is used as one.
    const { SignJWT, importJWK, exportSPKI } = await import("jose");
    const publicKey = (await importJWK(rsa.publicJwk, "RS256")) as CryptoKey;
    const secret = new TextEncoder().encode(await exportSPKI(publicKey));
    const confused = await new SignJWT({ sub: "mallory", scope: "mcp admin" })
      .setProtectedHeader({ alg: "HS256", kid: rsa.kid })
      .setIssuer(ISSUER)
      .setAudience(RESOURCE)
      .setExpirationTime("5m")
      .sign(secret);
    expect(await refusal(verify(request(confused)))).toMatchObject({
      code: "invalid_token",
      message: "the access token's signature algorithm is not accepted",
    });
    expect(() => localVerifier({ algorithms: ["HS256"] })).toThrow(/asymmetric/);
    expect(() => localVerifier({ algorithms: ["none"] })).toThrow(/asymmetric/);
  });

  it("refuses a token signed by another key, and with a tampered payload", async () => {
    const verify = localVerifier();
    const stranger = await makeKey("rsa-1", "RS256");
    expect(await refusal(verify(request(await sign(stranger))))).toMatchObject({ code: "invalid_token" });
    const [head, , signature] = (await sign(rsa)).split(".");
    const forged = `${head}.${Buffer.from(JSON.stringify({ sub: "root", iss: ISSUER, aud: RESOURCE, exp: 9e9 })).toString("base64url")}.${signature}`;
    expect(await refusal(verify(request(forged)))).toMatchObject({ code: "invalid_token" });
  });

  it("requires the RFC 9068 type when asked", async () => {
    const verify = localVerifier({ requireAccessTokenType: true });
    expect(await refusal(verify(request(await sign(rsa))))).toMatchObject({ code: "invalid_token" });
    expect(await verify(request(await sign(rsa, { header: { typ: "at+jwt" } })))).not.toBeNull();
  });

  it("refuses malformed, foreign-scheme, doubled and huge headers as the client's mistake", async () => {
    const verify = localVerifier({ maxTokenBytes: 4096 });
    const token = await sign(rsa);
    for (const header of [
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer a b",
      `Bearer ${token}, Bearer ${token}`,
      "Bearer \u00e9",
    ]) {
      expect(await refusal(verify(request(undefined, header)))).toMatchObject({ code: "invalid_request" });
    }
    expect(await refusal(verify(request("a".repeat(10_000))))).toMatchObject({ code: "invalid_token" });
    expect(await refusal(verify(request("not.a.jwt")))).toMatchObject({ code: "invalid_token" });
    expect(await verify(request(undefined, `bearer   ${token}`))).not.toBeNull();
  });
});

describe("the remote key set", () => {
  it("refetches once on an unknown kid (key rotation), then serves from its cache", async () => {
    const next = await makeKey("rsa-2", "RS256");
    issuer.serve([rsa.publicJwk]);
    const before = issuer.jwksFetches;
    const verify = createJwtVerifier({
      issuer: ISSUER,
      audience: RESOURCE,
      jwksUrl: issuer.jwksUrl,
      jwksOptions: { cooldownMs: 0 },
    });
    expect(await verify(request(await sign(rsa)))).not.toBeNull();
    expect(await verify(request(await sign(rsa)))).not.toBeNull();
    expect(issuer.jwksFetches - before).toBe(1);
    issuer.serve([rsa.publicJwk, next.publicJwk]);
    expect((await verify(request(await sign(next, { claims: { sub: "bob" } }))))?.subject).toBe("bob");
    expect(issuer.jwksFetches - before).toBe(2);
  });

  it("bounds refetches: unknown kids within the cooldown are refused without fetching", async () => {
    issuer.serve([rsa.publicJwk]);
    const verify = createJwtVerifier({
      issuer: ISSUER,
      audience: RESOURCE,
      jwksUrl: issuer.jwksUrl,
      jwksOptions: { cooldownMs: 60_000 },
    });
    expect(await verify(request(await sign(rsa)))).not.toBeNull();
    const before = issuer.jwksFetches;
    const strangers = await Promise.all(Array.from({ length: 5 }, (_, i) => makeKey(`unknown-${i}`)));
    for (const stranger of strangers) {
      expect(await refusal(verify(request(await sign(stranger))))).toMatchObject({ code: "invalid_token" });
    }
    expect(issuer.jwksFetches - before).toBe(0);
  });

  it("keeps a bounded number of public keys, and drops symmetric and private ones", async () => {
    const many = await Promise.all(Array.from({ length: 6 }, (_, i) => makeKey(`k${i}`, "ES256")));
    const octKey = { kty: "oct", k: "c2VjcmV0", kid: "k0", alg: "HS256" };
    issuer.serve([octKey, ...many.map((key) => key.publicJwk)]);
    const verify = createJwtVerifier({
      issuer: ISSUER,
      audience: RESOURCE,
      jwksUrl: issuer.jwksUrl,
      jwksOptions: { maxKeys: 3, cooldownMs: 60_000 },
    });
    expect(await verify(request(await sign(many[2] as TestKey)))).not.toBeNull();
    expect(await refusal(verify(request(await sign(many[5] as TestKey))))).toMatchObject({ code: "invalid_token" });
  });

  it("reports an unreachable or oversized key set as the verifier's failure, and does not hammer it", async () => {
    issuer.fail(500);
    const before = issuer.jwksFetches;
    const verify = createJwtVerifier({
      issuer: ISSUER,
      audience: RESOURCE,
      jwksUrl: issuer.jwksUrl,
      jwksOptions: { cooldownMs: 60_000 },
    });
    const token = await sign(rsa);
    for (let i = 0; i < 3; i++) {
      expect(await refusal(verify(request(token)))).toMatchObject({ name: "KeySetUnavailableError" });
    }
    expect(issuer.jwksFetches - before).toBe(1);
    issuer.serveRaw(JSON.stringify({ keys: [rsa.publicJwk], padding: "x".repeat(20_000) }));
    const small = createJwtVerifier({
      issuer: ISSUER,
      audience: RESOURCE,
      jwksUrl: issuer.jwksUrl,
      jwksOptions: { maxBytes: 10_000 },
    });
    expect(await refusal(small(request(token)))).toMatchObject({ name: "KeySetUnavailableError" });
  });
});

describe("jwtAuth on an McpServer", () => {
  it("answers 401 invalid_token for a wrong audience, 503 for an unreachable key set, and serves a good token", async () => {
    issuer.serve([rsa.publicJwk]);
    const onError = vi.fn();
    const make = (jwksUrl: string) =>
      new McpServer({
        name: "jwt",
        version: "1",
        stateless: true,
        onError,
        auth: jwtAuth({ issuer: ISSUER, jwksUrl, resource: RESOURCE, requiredScopes: ["mcp"] }),
        allowedHosts: ["mcp.test"],
      });
    const server = make(issuer.jwksUrl);
    const post = (token: string) =>
      server.fetch(
        new Request(RESOURCE, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
        }),
      );
    expect((await post(await sign(rsa))).status).toBe(200);
    const wrongAudience = await post(await sign(rsa, { audience: "https://other.test/mcp" }));
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(wrongAudience.headers.get("www-authenticate")).toContain(
      'resource_metadata="https://mcp.test/.well-known/oauth-protected-resource/mcp"',
    );
    const metadata = await server.fetch(new Request("https://mcp.test/.well-known/oauth-protected-resource/mcp"));
    expect(await metadata.json()).toEqual({
      resource: RESOURCE,
      authorization_servers: [ISSUER],
      bearer_methods_supported: ["header"],
      scopes_supported: ["mcp"],
    });
    const down = make("http://127.0.0.1:9/jwks.json");
    const unavailable = await down.fetch(
      new Request(RESOURCE, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${await sign(rsa)}` },
        body: "{}",
      }),
    );
    expect(unavailable.status).toBe(503);
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
