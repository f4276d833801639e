import {
  AuthError,
  type AuthOptions,
  McpServer,
  type McpServerOptions,
  type Principal,
  type ProtectedResource,
  protectedResource,
  UriTemplate,
} from "../../src/index.js";

export const RESOURCE = "http://localhost/mcp";
export const METADATA_URL = "http://localhost/.well-known/oauth-protected-resource/mcp";
export const ISSUER = "http://127.0.0.1:9999";

/** Opaque test tokens and whom they speak for: what a verifier would return for each. */
export const TOKENS: Record<string, Omit<Principal, "claims">> = {
  "alice-read": { subject: "alice", scopes: ["mcp", "read"], expiresAt: 4_000_000_000 },
  "alice-admin": { subject: "alice", scopes: ["mcp", "admin"] },
  "bob-read": { subject: "bob", scopes: ["mcp", "read"] },
  "carol-none": { subject: "carol", scopes: [] },
};

/** A verifier over TOKENS: a plain function, as any application's `authenticate` may be. */
export function authenticate(request: Request): Principal | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
  if (!match?.[1]) throw new AuthError("invalid_request", "malformed Authorization header");
  if (match[1] === "expired") throw new AuthError("invalid_token", "the access token expired");
  const known = TOKENS[match[1]];
  return known ? { ...known, claims: { sub: known.subject, scope: known.scopes.join(" ") } } : null;
}

export function authOptions(overrides: Partial<AuthOptions> = {}): AuthOptions {
  return {
    authenticate,
    resource: RESOURCE,
    authorizationServers: [ISSUER],
    requiredScopes: ["mcp"],
    scopes: {
      tools: { write_note: ["write"], read_note: ["read"] },
      prompts: { secret_prompt: ["write"] },
      resources: { "notes://private/*": ["write"] },
    },
    impliedScopes: { admin: ["read", "write"] },
    ...overrides,
  };
}

/** The `auth` option a server takes: the gate built from authOptions(overrides). */
export function authGate(overrides: Partial<AuthOptions> = {}): ProtectedResource {
  return protectedResource(authOptions(overrides));
}

export function authedServer(options: Partial<McpServerOptions> = {}, auth: Partial<AuthOptions> = {}): McpServer {
  const server = new McpServer({ name: "auth-test", version: "1.0.0", auth: authGate(auth), ...options });
  const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });
  server.tool("whoami", { description: "Who is calling" }, async (_args, ctx) =>
    text(JSON.stringify(ctx.auth ?? null)),
  );
  server.tool("read_note", { description: "Reads a note" }, async () => text("a note"));
  server.tool("write_note", { description: "Writes a note" }, async () => text("written"));
  server.prompt("open_prompt", { description: "Anyone" }, async () => ({
    messages: [{ role: "user", content: { type: "text", text: "hi" } }],
  }));
  server.prompt("secret_prompt", { description: "Writers" }, async () => ({
    messages: [{ role: "user", content: { type: "text", text: "secret" } }],
  }));
  server.resource("notes://public/1", { name: "public" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "public" }],
  }));
  server.resource("notes://private/1", { name: "private" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "private" }],
  }));
  server.resourceTemplate(new UriTemplate("notes://private/{id}"), { name: "private notes" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "private" }],
  }));
  server.resourceTemplate(new UriTemplate("notes://public/{id}"), { name: "public notes" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "public" }],
  }));
  return server;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
