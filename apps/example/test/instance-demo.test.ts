/**
 * The demo tools for several instances (whoami, notify_resource_updated, toggle_demo_tool), in process on a
 * single in-memory server. What they do across instances is proven in distributed-tests/.
 */

import { sseMessages, type WireMessage } from "@mcp-edge/test-support/wire";
import { describe, expect, it } from "vitest";
import { createExampleServer } from "../src/server.js";

type Server = ReturnType<typeof createExampleServer>;
const URL_ = "http://127.0.0.1/mcp";
let id = 0;

async function send(server: Server, body: unknown, sessionId?: string): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  };
  if (sessionId) headers["mcp-session-id"] = sessionId;
  return server.fetch(new Request(URL_, { method: "POST", headers, body: JSON.stringify(body) }));
}

async function callTool(server: Server, name: string, args: Record<string, unknown>, sessionId?: string) {
  const response = await send(
    server,
    { jsonrpc: "2.0", id: ++id, method: "tools/call", params: { name, arguments: args } },
    sessionId,
  );
  const body = (await response.json()) as WireMessage;
  return body.result as { content: { text: string }[]; structuredContent?: unknown; isError?: boolean };
}

async function toolNames(server: Server): Promise<string[]> {
  const response = await send(server, { jsonrpc: "2.0", id: ++id, method: "tools/list" });
  const body = (await response.json()) as WireMessage;
  return ((body.result?.tools ?? []) as { name: string }[]).map((tool) => tool.name);
}

describe("whoami", () => {
  it("reports the configured instance id, and the session when there is one", async () => {
    const stateless = createExampleServer({ stateless: true, instanceId: "eu-1" });
    expect((await callTool(stateless, "whoami", {})).structuredContent).toEqual({
      instanceId: "eu-1",
      sessionId: null,
    });

    const stateful = createExampleServer({ stateless: false, instanceId: "eu-2" });
    const init = await send(stateful, {
      jsonrpc: "2.0",
      id: ++id,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    const sessionId = init.headers.get("mcp-session-id") ?? "";
    await init.body?.cancel();
    expect((await callTool(stateful, "whoami", {}, sessionId)).structuredContent).toEqual({
      instanceId: "eu-2",
      sessionId,
    });
  });

  it("defaults to a random id that stays the same for the server's life", async () => {
    const server = createExampleServer({ stateless: true });
    const first = (await callTool(server, "whoami", {})).structuredContent as { instanceId: string };
    const second = (await callTool(server, "whoami", {})).structuredContent as { instanceId: string };
    expect(first.instanceId).toMatch(/^[0-9a-f]{8}$/);
    expect(second.instanceId).toBe(first.instanceId);
  });
});

describe("toggle_demo_tool", () => {
  it("adds and removes demo_toggled: flips without arguments, sets with present, reports whether it changed", async () => {
    const server = createExampleServer({ stateless: true, instanceId: "t1" });
    expect(await toolNames(server)).not.toContain("demo_toggled");

    expect((await callTool(server, "toggle_demo_tool", {})).structuredContent).toEqual({
      present: true,
      changed: true,
      instanceId: "t1",
    });
    expect(await toolNames(server)).toContain("demo_toggled");
    expect((await callTool(server, "demo_toggled", {})).content).toEqual([
      { type: "text", text: "demo_toggled on instance t1" },
    ]);
    expect((await callTool(server, "toggle_demo_tool", { present: true })).structuredContent).toEqual({
      present: true,
      changed: false,
      instanceId: "t1",
    });
    expect((await callTool(server, "toggle_demo_tool", {})).structuredContent).toEqual({
      present: false,
      changed: true,
      instanceId: "t1",
    });
    expect(await toolNames(server)).not.toContain("demo_toggled");
  });

  it("tells a connected session with tools/list_changed on its GET stream", async () => {
    const server = createExampleServer({ stateless: false, instanceId: "t2" });
    const init = await send(server, {
      jsonrpc: "2.0",
      id: ++id,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    const sessionId = init.headers.get("mcp-session-id") ?? "";
    await init.body?.cancel();
    const get = await server.fetch(
      new Request(URL_, { headers: { accept: "text/event-stream", "mcp-session-id": sessionId } }),
    );
    expect(get.status).toBe(200);
    await callTool(server, "toggle_demo_tool", { present: true }, sessionId);
    const reader = get.body?.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("list_changed")) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += chunk.value;
    }
    await reader?.cancel();
    expect(sseMessages<WireMessage>(text).map((m) => m.method)).toContain("notifications/tools/list_changed");
  });
});

describe("notify_resource_updated", () => {
  it("accepts any URI and refuses what is not one, as a tool error", async () => {
    const server = createExampleServer({ stateless: true, instanceId: "t3" });
    const ok = await callTool(server, "notify_resource_updated", { uri: "test://watched-resource" });
    expect(ok.isError).toBeFalsy();
    expect(ok.content[0]?.text).toBe("Subscribers of test://watched-resource were notified (raised on instance t3)");
    const bad = await callTool(server, "notify_resource_updated", { uri: "not a uri" });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]?.text).toBe("Not a URI: not a uri");
  });
});
