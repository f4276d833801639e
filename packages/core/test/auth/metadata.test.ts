// RFC 9728 protected resource metadata, at both well-known URIs.
import { describe, expect, it } from "vitest";
import { McpServer } from "../../src/index.js";
import { authedServer, authGate, ISSUER, RESOURCE } from "./fixtures.js";

const ROOT = "http://localhost/.well-known/oauth-protected-resource";
const SUFFIXED = `${ROOT}/mcp`;

describe("auth: protected resource metadata", () => {
  it("serves the document at the path-suffixed and the root well-known URIs", async () => {
    const server = authedServer();
    for (const url of [SUFFIXED, ROOT]) {
      const response = await server.fetch(new Request(url, { headers: { origin: "https://client.example" } }));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(await response.json()).toEqual({
        resource: RESOURCE,
        authorization_servers: [ISSUER],
        bearer_methods_supported: ["header"],
        scopes_supported: ["mcp", "write", "read", "admin"],
      });
    }
  });

  it("never advertises offline_access, and takes scopes_supported and names as given", async () => {
    const server = new McpServer({
      name: "t",
      version: "1",
      auth: authGate({
        scopesSupported: ["mcp", "offline_access", "read"],
        resourceName: "Notes",
        resourceDocumentation: "https://docs.example/notes",
      }),
    });
    const document = (await (await server.fetch(new Request(SUFFIXED))).json()) as Record<string, unknown>;
    expect(document.scopes_supported).toEqual(["mcp", "read"]);
    expect(document.resource_name).toBe("Notes");
    expect(document.resource_documentation).toBe("https://docs.example/notes");
  });

  it("answers HEAD and CORS preflights, and 405 to other methods", async () => {
    const server = authedServer();
    const head = await server.fetch(new Request(SUFFIXED, { method: "HEAD" }));
    expect(head.status).toBe(200);
    const preflight = await server.fetch(
      new Request(SUFFIXED, {
        method: "OPTIONS",
        headers: { origin: "https://client.example", "access-control-request-method": "GET" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
    const posted = await server.fetch(new Request(SUFFIXED, { method: "POST", body: "{}" }));
    expect(posted.status).toBe(405);
    expect(posted.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("serves a root resource at the root URI only, and nothing for other paths", async () => {
    const server = new McpServer({
      name: "t",
      version: "1",
      path: null,
      auth: authGate({ resource: "https://mcp.example.com" }),
    });
    const root = await server.fetch(new Request("https://mcp.example.com/.well-known/oauth-protected-resource"));
    expect(root.status).toBe(200);
    expect(((await root.json()) as { resource: string }).resource).toBe("https://mcp.example.com");
    const other = await server.fetch(
      new Request("https://mcp.example.com/.well-known/oauth-protected-resource/other", {
        headers: { host: "localhost" },
      }),
    );
    expect(other.status).toBe(401);
  });

  it("is not served when auth is off", async () => {
    const server = new McpServer({ name: "t", version: "1" });
    const response = await server.fetch(new Request(SUFFIXED));
    expect(response.status).toBe(404);
  });
});
