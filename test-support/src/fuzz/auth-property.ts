import fc from "fast-check";
import { ContractViolation, observe } from "./check.js";

/**
 * Authorization headers as hostile clients send them: none, empty, other schemes, a lone `Bearer`,
 * garbage and JWT-shaped garbage (forged headers, `alg: none`, random signatures), huge values, many
 * values (Fetch joins repeated headers with ", "), and tokens in the query string. Only values a
 * `Headers` object accepts: bytes 0x20-0xFF and tabs, no CR, LF or NUL (no client can send those).
 */
const headerChar = fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code));
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });
const base64url = (maxLength: number) =>
  fc.string({
    unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
    maxLength,
  });
const segment = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

const jwtShaped: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(base64url(60), base64url(200), base64url(100)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc
    .record({
      alg: fc.constantFrom("none", "None", "HS256", "RS256", "ES256", "EdDSA", "", "RS1"),
      kid: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.constant("../../etc/passwd")), { nil: undefined }),
      typ: fc.option(fc.constantFrom("JWT", "at+jwt"), { nil: undefined }),
      crit: fc.option(fc.constant(["exp"]), { nil: undefined }),
    })
    .chain((header) =>
      fc
        .record({
          sub: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)),
          exp: fc.oneof(fc.integer(), fc.double(), fc.constant("tomorrow")),
          aud: fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
          scope: fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
        })
        .chain((claims) => base64url(100).map((signature) => `${segment(header)}.${segment(claims)}.${signature}`)),
    ),
  fc.tuple(base64url(40), base64url(40)).map(([a, b]) => `${a}.${b}`),
  fc.constant("eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0."),
);

/** One Authorization header value (or none). */
export const authorizationValue: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  fc.constant(""),
  fc.constant("Bearer"),
  fc.constant("Bearer "),
  { arbitrary: jwtShaped.map((token) => `Bearer ${token}`), weight: 6 },
  jwtShaped.map((token) => `bEaReR    ${token}   `),
  fc
    .tuple(fc.constantFrom("Basic", "Digest", "DPoP", "Token", "Negotiate"), base64url(60))
    .map(([s, v]) => `${s} ${v}`),
  headerText(200).map((value) => `Bearer ${value}`),
  headerText(200),
  fc.integer({ min: 1_000, max: 65_536 }).map((length) => `Bearer ${"A".repeat(length)}`),
  fc.integer({ min: 8_000, max: 32_000 }).map((length) => `Bearer ${"a.".repeat(length / 2)}`),
  fc
    .array(
      fc.oneof(
        jwtShaped.map((token) => `Bearer ${token}`),
        headerText(40),
      ),
      { minLength: 2, maxLength: 200 },
    )
    .map((values) => values.join(", ")),
);

export interface AuthRequestSpec {
  method: "POST" | "GET" | "DELETE" | "OPTIONS";
  authorization: string | undefined;
  /** Where a valid token goes: nowhere, alone (the hostile value then unsent), or beside the hostile one. */
  validToken: "none" | "alone" | "beside";
  query: string;
  body: string;
}

export const authRequestSpec: fc.Arbitrary<AuthRequestSpec> = fc.record({
  method: fc.constantFrom("POST", "POST", "POST", "GET", "DELETE", "OPTIONS"),
  authorization: authorizationValue,
  validToken: fc.constantFrom("none", "none", "alone", "beside"),
  query: fc.oneof(
    { arbitrary: fc.constant(""), weight: 6 },
    { arbitrary: fc.constant("?access_token=x"), weight: 1 },
    { arbitrary: base64url(40).map((token) => `?foo=1&access_token=${token}`), weight: 1 },
    { arbitrary: base64url(40).map((token) => `?access%5Ftoken=${token}`), weight: 1 },
    { arbitrary: headerText(30).map((value) => `?q=${encodeURIComponent(value)}`), weight: 1 },
  ),
  body: fc.oneof(
    fc.constant(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" })),
    fc.constant(
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "guarded", arguments: {} } }),
    ),
    fc.constant(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } },
      }),
    ),
    headerText(100),
  ),
});

/** Statuses a protected endpoint may answer a client with; never a 5xx for what a client sent. */
const CLIENT_STATUSES = new Set([200, 202, 204, 400, 401, 403, 404, 405, 406, 409, 413, 415]);

function fail(message: string): never {
  throw new ContractViolation(message);
}

/**
 * Every request gets a 4xx or a success, never a 5xx or a hang; a 401 or 403 carries a Bearer challenge
 * naming the resource metadata (unless it is a Host/Origin refusal); the body is read to its end; no
 * answer echoes the token sent.
 */
export function authHeadersProperty(
  fetch: (request: Request) => Promise<Response>,
  endpoint: string,
  validToken: string,
) {
  return fc.asyncProperty(authRequestSpec, async (spec) => {
    const headers = new Headers({ "content-type": "application/json", accept: "application/json, text/event-stream" });
    if (spec.validToken === "alone") headers.set("authorization", `Bearer ${validToken}`);
    else if (spec.authorization !== undefined) headers.set("authorization", spec.authorization);
    if (spec.validToken === "beside") headers.append("authorization", `Bearer ${validToken}`);
    const init: RequestInit = { method: spec.method, headers };
    if (spec.method === "POST") init.body = spec.body;
    const response = await fetch(new Request(`${endpoint}${spec.query}`, init));
    const observed = await observe(response, spec.method === "GET");
    if (!CLIENT_STATUSES.has(observed.status)) fail(`status ${observed.status}: ${observed.text?.slice(0, 200)}`);
    const challenge = observed.headers.get("www-authenticate");
    if (observed.status === 401 && !challenge?.startsWith("Bearer ")) fail("401 without a Bearer challenge");
    if (challenge !== null && !challenge.includes('resource_metadata="'))
      fail(`challenge without metadata: ${challenge}`);
    const sent = spec.validToken === "alone" ? undefined : spec.authorization?.replace(/^\s*bearer\s+/i, "").trim();
    if (sent !== undefined && sent.length >= 16 && (observed.text ?? "").includes(sent))
      fail("the answer echoes the token");
  });
}
