// The 401 / 403 / 400 answers of a protected endpoint, with their RFC 6750 challenges.
import { describe, expect, it, vi } from "vitest";
import { McpServer } from "../../src/index.js";
import { McpServer as StatelessServer } from "../../src/stateless.js";
import { BASE, BOTH, initializeRequest, post } from "../helpers.js";
import { authedServer, authGate, authOptions, bearer, METADATA_URL } from "./fixtures.js";

describe("auth: challenges", () => {
  it("answers a request without a token 401 with resource_metadata and the server's scopes, no error", async () => {
    const server = authedServer();
    const response = await post(server.fetch, initializeRequest());
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${METADATA_URL}", scope="mcp"`);
    const body = (await response.json()) as { error: { code: number; message: string } };
    expect(body.error.message).toMatch(/^Unauthorized/);
  });

  it("answers an unknown token 401 invalid_token, and an expired one with the verifier's description", async () => {
    const server = authedServer();
    const unknown = await post(server.fetch, initializeRequest(), bearer("forged"));
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toBe(
      `Bearer error="invalid_token", resource_metadata="${METADATA_URL}", scope="mcp", error_description="the access token is not valid"`,
    );
    const expired = await post(server.fetch, initializeRequest(), bearer("expired"));
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(expired.headers.get("www-authenticate")).toContain('error_description="the access token expired"');
  });

  it("answers a malformed Authorization header 400 invalid_request", async () => {
    const server = authedServer();
    const response = await post(server.fetch, initializeRequest(), { authorization: "Basic dXNlcjpwYXNz" });
    expect(response.status).toBe(400);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_request"');
  });

  it("refuses a token in the query string, even beside a valid header", async () => {
    const server = authedServer();
    for (const query of ["?access_token=alice-read", "?x=1&access_token=alice-read", "?access%5Ftoken=alice-read"]) {
      const response = await server.fetch(
        new Request(`${BASE}${query}`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: BOTH, ...bearer("alice-read") },
          body: JSON.stringify(initializeRequest()),
        }),
      );
      expect(response.status).toBe(400);
      const challenge = response.headers.get("www-authenticate") ?? "";
      expect(challenge).toContain('error="invalid_request"');
      expect(challenge).toContain("query string");
      expect(challenge).not.toContain("alice-read");
    }
  });

  it("answers 403 insufficient_scope when the token lacks the server's required scopes", async () => {
    const server = authedServer();
    const response = await post(server.fetch, initializeRequest(), bearer("carol-none"));
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer error="insufficient_scope", resource_metadata="${METADATA_URL}", scope="mcp", error_description="this server needs the scopes: mcp"`,
    );
  });

  it("gates GET and DELETE too, and lets CORS preflights through", async () => {
    const server = authedServer({ cors: { origin: "http://localhost:5173" } });
    for (const method of ["GET", "DELETE"]) {
      const response = await server.fetch(new Request(BASE, { method, headers: { accept: "text/event-stream" } }));
      expect(response.status).toBe(401);
    }
    const preflight = await server.fetch(
      new Request(BASE, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-headers": "authorization" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const refused = await post(server.fetch, initializeRequest(), { origin: "http://localhost:5173" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-expose-headers")).toContain("www-authenticate");
  });

  it("refuses before anything reads the body", async () => {
    const server = authedServer();
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode(JSON.stringify(initializeRequest())));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const response = await server.fetch(
      new Request(BASE, {
        method: "POST",
        headers: { "content-type": "application/json", accept: BOTH },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(401);
    expect(pulled).toBe(false);
  });

  it("answers 503 when the verifier itself fails, and reports it without the token", async () => {
    const onError = vi.fn();
    const server = new McpServer({
      name: "t",
      version: "1",
      onError,
      auth: authGate({
        authenticate: () => {
          throw new Error("JWKS endpoint unreachable");
        },
      }),
    });
    const response = await post(server.fetch, initializeRequest(), bearer("alice-read"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(onError).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(onError.mock.calls)).not.toContain("alice-read");
  });

  it("answers 500 when authenticate returns something that is not a principal", async () => {
    const onError = vi.fn();
    for (const value of [{ subject: "", scopes: [] }, { subject: "x", scopes: "read" }, 42, "alice"]) {
      const server = new McpServer({
        name: "t",
        version: "1",
        onError,
        auth: authGate({ authenticate: () => value as never }),
      });
      const response = await post(server.fetch, initializeRequest(), bearer("alice-read"));
      expect(response.status).toBe(500);
    }
    expect(onError).toHaveBeenCalledTimes(4);
  });

  it("escapes what a verifier says so it cannot break out of the challenge", async () => {
    const server = new McpServer({
      name: "t",
      version: "1",
      auth: authGate({
        authenticate: () => {
          throw Object.assign(new Error('bad "token"\r\nSet-Cookie: x=1 \\'), {
            name: "AuthError",
            code: "invalid_token",
          });
        },
      }),
    });
    const response = await post(server.fetch, initializeRequest(), bearer("alice-read"));
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain('error_description="bad ?token???Set-Cookie: x=1 ?"');
  });

  it("refuses bare auth options at construction, pointing at protectedResource", () => {
    for (const Preset of [McpServer, StatelessServer]) {
      // @ts-expect-error: `auth` takes what protectedResource builds, not its options
      expect(() => new Preset({ name: "t", version: "1", auth: authOptions() })).toThrow(/protectedResource\(/);
      expect(() => new Preset({ name: "t", version: "1", auth: null as never })).toThrow(/protectedResource\(/);
    }
  });

  it("refuses options that cannot describe a protected resource, at construction", () => {
    const make = (overrides: Parameters<typeof authGate>[0]) => () =>
      new McpServer({ name: "t", version: "1", auth: authGate(overrides) });
    expect(make({ resource: "/mcp" })).toThrow(/absolute URL/);
    expect(make({ resource: "https://mcp.example.com/mcp#x" })).toThrow(/fragment/);
    expect(make({ resource: "ftp://mcp.example.com/mcp" })).toThrow(/http/);
    expect(make({ authorizationServers: [] })).toThrow(/at least one/);
    expect(make({ authorizationServers: ["not a url"] })).toThrow(/not a URL/);
  });
});
