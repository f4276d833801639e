import { describe, expect, it } from "vitest";
import { InMemoryStreamManager, McpServer } from "../src/index.js";
import { BASE, BOTH, initializeRequest, openSession, post, SseReader } from "./helpers.js";

function createServer(options: Partial<ConstructorParameters<typeof McpServer>[0]> = {}) {
  const server = new McpServer({ name: "t", version: "1", stateless: false, ...options });
  server.tool("echo", { input: { type: "object", properties: { text: { type: "string" } } } }, async ({ text }) => ({
    content: [{ type: "text", text: String(text) }],
  }));
  server.tool("ask", {}, async (_args, ctx) => {
    const answer = await ctx.sample({
      messages: [{ role: "user", content: { type: "text", text: "hi" } }],
      maxTokens: 10,
    });
    return { content: [{ type: "text", text: `got ${JSON.stringify(answer.content)}` }] };
  });
  server.tool("slow", {}, async (_args, ctx) => {
    await ctx.log("info", "one");
    ctx.closeSSEStream();
    await ctx.log("info", "two");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ctx.log("info", "three");
    return { content: [{ type: "text", text: "done" }] };
  });
  server.resource("test://r", { name: "r" }, async (uri) => ({ contents: [{ uri: uri.href, text: "r" }] }));
  return server;
}

describe("stateful sessions", () => {
  it("mints a random visible-ASCII session id of at least 128 bits", async () => {
    const server = createServer();
    const a = await openSession(server.fetch);
    const b = await openSession(server.fetch);
    expect(a["mcp-session-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(a["mcp-session-id"]).not.toBe(b["mcp-session-id"]);
  });

  it("answers 400 without a session id and 404 with an unknown one", async () => {
    const server = createServer();
    const missing = await post(server.fetch, { jsonrpc: "2.0", id: 1, method: "ping" });
    expect(missing.status).toBe(400);
    const unknown = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { "mcp-session-id": "0123abcd" },
    );
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe(-32001);
  });

  it("ends a session on DELETE, whatever the Accept header, and then answers 404", async () => {
    const server = createServer();
    const headers = await openSession(server.fetch);
    const deleted = await server.fetch(
      new Request(BASE, { method: "DELETE", headers: { "mcp-session-id": headers["mcp-session-id"] ?? "" } }),
    );
    expect(deleted.status).toBe(200);
    const after = await post(server.fetch, { jsonrpc: "2.0", id: 1, method: "ping" }, headers);
    expect(after.status).toBe(404);
  });

  it("expires idle sessions", async () => {
    const server = createServer({ sessionIdleTimeoutMs: 30 });
    const headers = await openSession(server.fetch);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const after = await post(server.fetch, { jsonrpc: "2.0", id: 1, method: "ping" }, headers);
    expect(after.status).toBe(404);
  });

  it("carries a sampling request on the tool call's stream and resolves it with the client's POSTed reply", async () => {
    const server = createServer();
    const headers = await openSession(server.fetch, { sampling: {} });
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "ask" } },
      headers,
    );
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = new SseReader(response);
    const request = await reader.nextMessage();
    expect(request?.message).toMatchObject({ method: "sampling/createMessage", params: { maxTokens: 10 } });
    if (!request?.message || !("id" in request.message)) throw new Error("expected a server request");
    const id = request.message.id;
    const reply = await post(
      server.fetch,
      { jsonrpc: "2.0", id, result: { role: "assistant", content: { type: "text", text: "yo" }, model: "m" } },
      headers,
    );
    expect(reply.status).toBe(202);
    const result = await reader.nextMessage();
    expect(result?.message).toMatchObject({
      id: 5,
      result: { content: [{ type: "text", text: 'got {"type":"text","text":"yo"}' }] },
    });
    expect(await reader.next()).toBeUndefined();
  });

  it("fails fast when the client lacks the capability", async () => {
    const server = createServer();
    const headers = await openSession(server.fetch, {});
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "ask" } },
      headers,
    );
    const body = await response.json();
    expect(body.error.code).toBe(-32021);
    expect(body.error.message).toContain("sampling");
  });

  it("fails the tool call cleanly when the client never answers", async () => {
    const server = createServer({ serverRequestTimeoutMs: 50 });
    const headers = await openSession(server.fetch, { sampling: {} });
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 6, method: "tools/call", params: { name: "ask" } },
      headers,
    );
    const reader = new SseReader(response);
    expect((await reader.nextMessage())?.message).toMatchObject({ method: "sampling/createMessage" });
    const cancelled = await reader.nextMessage();
    expect(cancelled?.message).toMatchObject({ method: "notifications/cancelled" });
    const result = await reader.nextMessage();
    expect(result?.message).toMatchObject({ id: 6, error: { code: -32001 } });
  });

  it("primes POST streams and resumes a cut stream with Last-Event-ID: no loss, no foreign event", async () => {
    const server = createServer({ retryMs: 10 });
    const headers = await openSession(server.fetch);
    // A second stream in the same session writes events that must never appear in the replay.
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "slow" } },
      headers,
    );
    const reader = new SseReader(response);
    const priming = await reader.next();
    expect(priming).toMatchObject({ data: "", retry: 10 });
    expect(priming?.id).toBeDefined();
    const one = await reader.nextMessage();
    expect(one?.message).toMatchObject({ params: { data: "one" } });
    expect(await reader.next()).toBeUndefined(); // the server ended the connection (not the stream)
    const other = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "echo", arguments: { text: "foreign" } } },
      headers,
    );
    expect(await other.json()).toMatchObject({ id: 8 });

    const resumed = await server.fetch(
      new Request(BASE, { headers: { accept: BOTH, ...headers, "last-event-id": one?.id ?? "" } }),
    );
    expect(resumed.status).toBe(200);
    const tail = new SseReader(resumed);
    const seen = [];
    for (let event = await tail.nextMessage(); event; event = await tail.nextMessage()) seen.push(event.message);
    expect(seen).toEqual([
      { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "two" } },
      { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "three" } },
      { jsonrpc: "2.0", id: 7, result: { content: [{ type: "text", text: "done" }] } },
    ]);
  });

  it("allows one standalone GET stream per session and delivers resource updates to subscribers", async () => {
    const server = createServer();
    const headers = await openSession(server.fetch);
    const get = () => server.fetch(new Request(BASE, { headers: { accept: "text/event-stream", ...headers } }));
    const stream = await get();
    expect(stream.status).toBe(200);
    expect((await get()).status).toBe(409);
    await (
      await post(
        server.fetch,
        { jsonrpc: "2.0", id: 1, method: "resources/subscribe", params: { uri: "test://r" } },
        headers,
      )
    ).text();
    await server.notifyResourceUpdated("test://other");
    await server.notifyResourceUpdated("test://r");
    const reader = new SseReader(stream);
    expect((await reader.nextMessage())?.message).toEqual({
      jsonrpc: "2.0",
      method: "notifications/resources/updated",
      params: { uri: "test://r" },
    });
    server.tool("added-later", {}, () => ({ content: [] }));
    expect((await reader.nextMessage())?.message).toEqual({
      jsonrpc: "2.0",
      method: "notifications/tools/list_changed",
    });
    await reader.cancel();
  });

  it("serves several in-flight requests on one session", async () => {
    const server = createServer();
    const headers = await openSession(server.fetch);
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        post(
          server.fetch,
          { jsonrpc: "2.0", id: n, method: "tools/call", params: { name: "echo", arguments: { text: `m${n}` } } },
          headers,
        ).then((r) => r.json()),
      ),
    );
    expect(answers.map((a) => a.result.content[0].text)).toEqual(["m1", "m2", "m3", "m4"]);
  });
});

describe("auto mode", () => {
  it("opens a session for clients that accept SSE and serves JSON-only clients statelessly", async () => {
    const server = createServer({ stateless: undefined });
    const sessionful = await post(server.fetch, {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "c", version: "1" } },
    });
    expect(sessionful.headers.get("mcp-session-id")).toBeTruthy();
    const curl = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "plain" } } },
      { accept: "application/json" },
    );
    expect(curl.headers.get("content-type")).toBe("application/json");
    expect(curl.headers.get("mcp-session-id")).toBeNull();
    expect((await curl.json()).result.content[0].text).toBe("plain");
  });
});

describe("platform defaults", () => {
  it("apply only when the application chose no mode and no store", async () => {
    const defaulted = new McpServer({ name: "t", version: "1" }).applyPlatformDefaults({ stateless: true });
    const stateless = await post(defaulted.fetch, {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } },
    });
    expect(stateless.headers.get("mcp-session-id")).toBeNull();
    const explicit = new McpServer({ name: "t", version: "1", stateless: false }).applyPlatformDefaults({
      stateless: true,
    });
    expect((await openSession(explicit.fetch))["mcp-session-id"]).toBeTruthy();
  });

  it("cannot change once the server has answered", async () => {
    const server = new McpServer({ name: "t", version: "1" });
    await post(server.fetch, { jsonrpc: "2.0", id: 1, method: "ping" }, { accept: "application/json" });
    expect(() => server.applyPlatformDefaults({ stateless: true })).toThrow(/before the first request/);
  });
});

describe("close", () => {
  it("ends open GET streams and calls the stream manager's close, leaving sessions in the store", async () => {
    let closed = 0;
    const manager = new InMemoryStreamManager();
    const streamManager = {
      publish: manager.publish.bind(manager),
      subscribe: manager.subscribe.bind(manager),
      close: async () => {
        closed++;
      },
    };
    const server = createServer({ streamManager });
    const headers = await openSession(server.fetch);
    const stream = await server.fetch(new Request(BASE, { headers: { accept: "text/event-stream", ...headers } }));
    const reader = new SseReader(stream);
    await server.close();
    expect(await reader.next()).toBeUndefined();
    expect(closed).toBe(1);
    const ping = await post(server.fetch, { jsonrpc: "2.0", id: 9, method: "ping" }, headers);
    expect(ping.status).toBe(200);
  });
});

describe("sessions bound to the authenticated principal", () => {
  it("answers 404 to another principal using the session id, and serves the owner", async () => {
    const server = createServer({ authSubject: (request) => request.headers.get("x-test-user") ?? undefined });
    const response = await post(server.fetch, initializeRequest({}), { "x-test-user": "alice" });
    const sessionId = response.headers.get("mcp-session-id") ?? "";
    expect(sessionId).not.toBe("");
    const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
    const owner = await post(server.fetch, ping, { "mcp-session-id": sessionId, "x-test-user": "alice" });
    expect(owner.status).toBe(200);
    const intruder = await post(server.fetch, ping, { "mcp-session-id": sessionId, "x-test-user": "mallory" });
    expect(intruder.status).toBe(404);
    const anonymous = await post(server.fetch, ping, { "mcp-session-id": sessionId });
    expect(anonymous.status).toBe(404);
    const deleteByIntruder = await server.fetch(
      new Request(BASE, { method: "DELETE", headers: { "mcp-session-id": sessionId, "x-test-user": "mallory" } }),
    );
    expect(deleteByIntruder.status).toBe(404);
    expect((await post(server.fetch, ping, { "mcp-session-id": sessionId, "x-test-user": "alice" })).status).toBe(200);
  });
});

describe("notifications from outside a request", () => {
  it("reach one session's GET stream, or every session's", async () => {
    const server = createServer();
    const a = await openSession(server.fetch);
    const b = await openSession(server.fetch);
    const open = (headers: Record<string, string>) =>
      server
        .fetch(new Request(BASE, { headers: { accept: "text/event-stream", ...headers } }))
        .then((r) => new SseReader(r));
    const streamA = await open(a);
    const streamB = await open(b);
    await server.sendNotificationToSession(a["mcp-session-id"] ?? "", "notifications/message", {
      level: "info",
      data: "only a",
    });
    await server.sendNotification("notifications/message", { level: "info", data: "everyone" });
    expect((await streamA.nextMessage())?.message).toMatchObject({ params: { data: "only a" } });
    expect((await streamA.nextMessage())?.message).toMatchObject({ params: { data: "everyone" } });
    expect((await streamB.nextMessage())?.message).toMatchObject({ params: { data: "everyone" } });
    await streamA.cancel();
    await streamB.cancel();
  });
});
