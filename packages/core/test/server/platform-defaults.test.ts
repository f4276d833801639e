import { describe, expect, it } from "vitest";
import { InMemorySessionStore, InMemoryStreamManager, McpServer } from "../../src/index.js";
import type { SessionRecord } from "../../src/session/types.js";
import { lane2026, McpServer as StatelessMcpServer } from "../../src/stateless.js";
import { BASE, BOTH, openSession, post } from "../helpers.js";

/** Platform stores that count what the server asks of them. */
function platformStorage() {
  const used = { sets: 0, publishes: 0 };
  const sessionStore = new (class extends InMemorySessionStore {
    override set(record: SessionRecord, ttlMs: number): Promise<void> {
      used.sets++;
      return super.set(record, ttlMs);
    }
  })();
  const streamManager = new (class extends InMemoryStreamManager {
    override publish(channel: string, message: string): Promise<void> {
      used.publishes++;
      return super.publish(channel, message);
    }
  })();
  return { used, storage: { sessionStore, streamManager } };
}

function initialize(server: { fetch(request: Request): Promise<Response> }): Promise<Response> {
  return server.fetch(
    new Request(BASE, {
      method: "POST",
      headers: { "content-type": "application/json", accept: BOTH },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    }),
  );
}

describe("the platform's stores (PlatformDefaults.storage)", () => {
  it("keep the full preset's sessions and carry its broadcasts", async () => {
    const { used, storage } = platformStorage();
    const server = new McpServer({ name: "s", version: "1" }).applyPlatformDefaults({ storage });
    const response = await initialize(server);
    expect(response.headers.get("mcp-session-id")).toBeTruthy();
    expect(used.sets).toBeGreaterThan(0);
    await server.sendNotification("notifications/tools/list_changed");
    expect(used.publishes).toBeGreaterThan(0);
    await server.close();
  });

  it("are left alone by a full preset the application made stateless", async () => {
    const { used, storage } = platformStorage();
    const server = new McpServer({ name: "s", version: "1", stateless: true }).applyPlatformDefaults({ storage });
    const response = await initialize(server);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    await server.sendNotification("notifications/tools/list_changed");
    expect(used).toEqual({ sets: 0, publishes: 0 });
    await server.close();
  });

  it("carry the stateless preset's 2026 listen broadcasts when it has the lane", async () => {
    const { used, storage } = platformStorage();
    const server = new StatelessMcpServer({ name: "s", version: "1", lane2026 }).applyPlatformDefaults({ storage });
    const response = await initialize(server);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    await server.sendNotification("notifications/tools/list_changed");
    expect(used).toEqual({ sets: 0, publishes: 1 });
    await server.close();
  });

  it("are unused by the stateless preset without the lane", async () => {
    const { used, storage } = platformStorage();
    const server = new StatelessMcpServer({ name: "s", version: "1" }).applyPlatformDefaults({ storage });
    expect((await initialize(server)).status).toBe(200);
    await server.sendNotification("notifications/tools/list_changed");
    expect(used).toEqual({ sets: 0, publishes: 0 });
    await server.close();
  });
});

describe("the platform's waitUntil (fetch(request, env, ctx))", () => {
  function withTool<T extends { tool: McpServer["tool"] }>(server: T): T {
    server.tool("echo", { input: { type: "object" } }, async () => ({ content: [{ type: "text", text: "ok" }] }));
    return server;
  }
  const call = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: {} } };

  it("keeps a session's resumable stream running past its response", async () => {
    const server = withTool(new McpServer({ name: "s", version: "1", responseMode: "sse" }));
    const kept: Promise<unknown>[] = [];
    const ctx = { waitUntil: (work: Promise<unknown>) => kept.push(work) };
    const headers = await openSession((request) => server.fetch(request, {}, ctx));
    const response = await post((request) => server.fetch(request, {}, ctx), call, headers);
    expect(await response.text()).toContain('"text":"ok"');
    expect(kept.length).toBeGreaterThan(0);
    await server.close();
  });

  it("is not needed by the stateless preset", async () => {
    const server = withTool(new StatelessMcpServer({ name: "s", version: "1", responseMode: "sse" }));
    const kept: Promise<unknown>[] = [];
    const ctx = { waitUntil: (work: Promise<unknown>) => kept.push(work) };
    const response = await post((request) => server.fetch(request, {}, ctx), call, {
      "mcp-protocol-version": "2025-11-25",
    });
    expect(await response.text()).toContain('"text":"ok"');
    expect(kept).toEqual([]);
  });
});
