/**
 * A development-only OAuth 2.1 authorization server on loopback, so the whole protected-resource flow
 * can be tried without an identity provider: it makes an ES256 key pair at start, publishes the public
 * half as a JWKS and RFC 8414 metadata, and issues access tokens through the `client_credentials`
 * grant (any client id, no secret checked) or directly (`issue`). Never for production: it trusts
 * every client and keeps its key in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface DevIssuer {
  /** The issuer identifier and base URL, e.g. http://127.0.0.1:3001. */
  readonly url: string;
  readonly jwksUrl: string;
  /** A signed access token for `subject` with `scopes`, valid for `ttlSeconds` (default one hour). */
  issue(subject: string, scopes: readonly string[], ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

export interface DevIssuerOptions {
  /** The audience of every token: the MCP endpoint's canonical URI. */
  resource: string;
  /** Scopes the issuer grants and advertises. */
  scopes: readonly string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

const KEY_ID = "dev-1";
const MAX_FORM_BYTES = 4096;

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const encodeJson = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

function send(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, {
      "content-type": "application/json",
      "cache-control": "no-store",
      "access-control-allow-origin": "*",
    })
    .end(JSON.stringify(body));
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  let text = "";
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > MAX_FORM_BYTES) return undefined;
  }
  return new URLSearchParams(text);
}

/** The client id of a token request: HTTP Basic (client_secret_basic) or the form's `client_id`. */
function clientIdOf(request: IncomingMessage, form: URLSearchParams): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith("Basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const id = decoded.slice(0, decoded.indexOf(":") < 0 ? undefined : decoded.indexOf(":"));
    return decodeURIComponent(id) || undefined;
  }
  return form.get("client_id") ?? undefined;
}

export async function startDevIssuer(options: DevIssuerOptions): Promise<DevIssuer> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const publicJwk = {
    ...(await crypto.subtle.exportKey("jwk", pair.publicKey)),
    kid: KEY_ID,
    alg: "ES256",
    use: "sig",
  };
  let url = "";
  const granted = new Set(options.scopes);

  const issue = async (subject: string, scopes: readonly string[], ttlSeconds = 3600, clientId?: string) => {
    const now = Math.floor(Date.now() / 1000);
    const header = encodeJson({ alg: "ES256", kid: KEY_ID, typ: "at+jwt" });
    const claims: Record<string, unknown> = {
      iss: url,
      sub: subject,
      aud: options.resource,
      iat: now,
      exp: now + ttlSeconds,
      scope: scopes.join(" "),
      jti: crypto.randomUUID(),
    };
    if (clientId !== undefined) claims.client_id = clientId;
    const input = `${header}.${encodeJson(claims)}`;
    const signature = await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      pair.privateKey,
      new TextEncoder().encode(input),
    );
    return `${input}.${base64url(new Uint8Array(signature))}`;
  };

  const token = async (request: IncomingMessage, response: ServerResponse) => {
    const form = await readForm(request);
    if (form === undefined) return send(response, 400, { error: "invalid_request" });
    if (form.get("grant_type") !== "client_credentials")
      return send(response, 400, { error: "unsupported_grant_type" });
    const clientId = clientIdOf(request, form);
    if (clientId === undefined) return send(response, 401, { error: "invalid_client" });
    const resource = form.get("resource");
    if (resource !== null && resource !== options.resource) return send(response, 400, { error: "invalid_target" });
    // Least privilege: a request that names no scope gets the first (the server's basic) scope only.
    const asked = (form.get("scope") ?? options.scopes[0] ?? "").split(" ").filter((scope) => scope !== "");
    const scopes = asked.filter((scope) => granted.has(scope));
    const accessToken = await issue(`client:${clientId}`, scopes, 3600, clientId);
    send(response, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 3600, scope: scopes.join(" ") });
  };

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "GET" && path === "/jwks.json") return send(response, 200, { keys: [publicJwk] });
    if (request.method === "GET" && path === "/.well-known/oauth-authorization-server") {
      return send(response, 200, {
        issuer: url,
        // Required by RFC 8414 clients; this issuer grants no interactive logins (see /authorize).
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        jwks_uri: `${url}/jwks.json`,
        grant_types_supported: ["client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
        response_types_supported: [],
        scopes_supported: [...granted],
      });
    }
    if (request.method === "POST" && path === "/token") {
      token(request, response).catch(() => send(response, 500, { error: "server_error" }));
      return;
    }
    if (path === "/authorize") {
      return send(response, 400, {
        error: "unsupported_response_type",
        error_description: "the development issuer only grants client_credentials tokens, or prints tokens at start",
      });
    }
    send(response, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  return {
    url,
    jwksUrl: `${url}/jwks.json`,
    issue: (subject, scopes, ttlSeconds) => issue(subject, scopes, ttlSeconds),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
