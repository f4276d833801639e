// The official SDK v1 client against a protected server on loopback: a bearer token through
// `requestInit`, lists cut to its scopes, 403 for a tool beyond them; without a token, the 401 leads
// its OAuth flow through our resource metadata to the authorization server.
import { McpServer } from "@mcp-edge/core";
import { type ServerHandle, serve } from "@mcp-edge/node";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jwtAuth } from "../src/index.js";
import { type IssuerServer, startIssuer } from "./issuer-server.js";
import { makeKey, sign, type TestKey } from "./keys.js";

let issuer: IssuerServer;
let key: TestKey;
let handle: ServerHandle;
let resource: string;

beforeAll(async () => {
  issuer = await startIssuer();
  key = await makeKey("sdk-1");
  issuer.serve([key.publicJwk]);
  let server: McpServer | undefined;
  handle = await serve((request) => (server as McpServer).fetch(request), { port: 0, hostname: "127.0.0.1" });
  resource = `${handle.url}/mcp`;
  server = new McpServer({
    name: "protected",
    version: "1.0.0",
    auth: jwtAuth({
      issuer: issuer.url,
      jwksUrl: issuer.jwksUrl,
      resource,
      requiredScopes: ["mcp"],
      scopes: { tools: { write_note: ["write"] } },
    }),
  });
  const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });
  server.tool("whoami", { description: "who" }, async (_args, ctx) => text(ctx.auth?.subject ?? "nobody"));
  server.tool("write_note", { description: "writes" }, async () => text("written"));
});

afterAll(async () => {
  await handle?.close();
  await issuer?.close();
});

describe("official SDK v1 client", () => {
  it("connects with a bearer token, sees only the tools its scopes allow, and is refused 403 beyond them", async () => {
    const token = await sign(key, {
      issuer: issuer.url,
      audience: resource,
      claims: { sub: "sdk-user", scope: "mcp read" },
    });
    const client = new Client({ name: "sdk-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(resource), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["whoami"]);
    const who = await client.callTool({ name: "whoami", arguments: {} });
    expect(who.content).toEqual([{ type: "text", text: "sdk-user" }]);
    const refused = await client.callTool({ name: "write_note", arguments: {} }).then(
      () => undefined,
      (error: unknown) => error as { code?: number; message: string },
    );
    expect(refused?.code).toBe(403);
    await client.close();
  });

  it("is refused 401 without a token, and its OAuth flow discovers our metadata and scopes", async () => {
    const fetched: string[] = [];
    let authorizationUrl: URL | undefined;
    let verifier = "";
    const provider: OAuthClientProvider = {
      redirectUrl: "http://127.0.0.1/callback",
      clientMetadata: { redirect_uris: ["http://127.0.0.1/callback"], client_name: "sdk-test" },
      clientInformation: (): OAuthClientInformationMixed => ({ client_id: "pre-registered" }),
      saveClientInformation: () => undefined,
      tokens: (): OAuthTokens | undefined => undefined,
      saveTokens: () => undefined,
      redirectToAuthorization: (url: URL) => {
        authorizationUrl = url;
      },
      saveCodeVerifier: (value: string) => {
        verifier = value;
      },
      codeVerifier: () => verifier,
    };
    const client = new Client({ name: "sdk-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(resource), {
      authProvider: provider,
      fetch: (input, init) => {
        fetched.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    const failure = await client.connect(transport).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UnauthorizedError);
    expect(fetched).toContain(`${handle.url}/.well-known/oauth-protected-resource/mcp`);
    expect(fetched).toContain(`${issuer.url}/.well-known/oauth-authorization-server`);
    expect(authorizationUrl?.origin).toBe(issuer.url);
    expect(authorizationUrl?.searchParams.get("resource")).toBe(resource);
    expect(authorizationUrl?.searchParams.get("scope")).toBe("mcp");
    await client.close();
  });
});
