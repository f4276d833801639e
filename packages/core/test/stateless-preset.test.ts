import { describe, expect, it } from "vitest";
import { InMemorySessionStore } from "../src/index.js";
import { McpServer } from "../src/stateless.js";
import { BASE, BOTH } from "./helpers.js";

function echoServer(): McpServer {
  const server = new McpServer({ name: "preset", version: "1.0.0" });
  server.tool(
    "echo",
    { input: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } },
    async ({ text }) => ({ content: [{ type: "text", text: String(text) }] }),
  );
  return server;
}

function post(server: McpServer, body: unknown, accept = BOTH): Promise<Response> {
  return server.fetch(
    new Request(BASE, {
      method: "POST",
      headers: { "content-type": "application/json", accept, "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify(body),
    }),
  );
}

describe("@mcp-edge/core/stateless", () => {
  it("answers initialize without a session even when the client accepts SSE", async () => {
    const response = await post(echoServer(), {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    const body = (await response.json()) as { result: { protocolVersion: string } };
    expect(body.result.protocolVersion).toBe("2025-11-25");
  });

  it("calls tools and validates their JSON Schema input", async () => {
    const server = echoServer();
    const ok = await post(server, {
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" } },
    });
    expect(await ok.json()).toEqual({ jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "hi" }] } });
    const bad = await post(server, {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "echo", arguments: {} },
    });
    const badBody = (await bad.json()) as { result: { isError: boolean } };
    expect(badBody.result.isError).toBe(true);
  });

  it("answers GET and DELETE with 405 and Allow: POST", async () => {
    const server = echoServer();
    for (const method of ["GET", "DELETE"]) {
      const response = await server.fetch(new Request(BASE, { method, headers: { accept: "text/event-stream" } }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
  });

  it("refuses session options at construction, pointing at the full preset", () => {
    expect(() => new McpServer({ name: "x", version: "1", sessionStore: new InMemorySessionStore() } as never)).toThrow(
      /@mcp-edge\/core/,
    );
    expect(() => new McpServer({ name: "x", version: "1", stateless: false } as never)).toThrow(/stateless only/);
  });
});
