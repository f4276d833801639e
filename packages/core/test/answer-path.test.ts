// Every request is answered, whatever a handler returns, a client replies or a user hook does, and
// nothing rejects where no one listens.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { McpServer, type McpServerOptions } from "../src/index.js";
import { BASE, BOTH, openSession, post, SseReader } from "./helpers.js";

const JSON_ONLY = "application/json";

/** Text, not a value: serialising thousands of levels would overflow the test's own stack. */
const nestedText = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

/** Unhandled rejections raised while a test runs: the process-level guarantee, checked per test. */
let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});
afterEach(async () => {
  // Rejections are reported after a macrotask turn.
  await new Promise((resolve) => setTimeout(resolve, 10));
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

function hostileServer(options: Partial<McpServerOptions> = {}) {
  const server = new McpServer({
    name: "t",
    version: "1",
    stateless: false,
    serverRequestTimeoutMs: 300,
    onError: () => {},
    ...options,
  });
  server.tool("roots", {}, async (_args, ctx) => {
    const roots = await ctx.listRoots();
    return { content: [{ type: "text", text: "roots" }], structuredContent: roots };
  });
  server.tool("bigint", {}, () => ({
    content: [],
    structuredContent: { n: 1n } as unknown as Record<string, unknown>,
  }));
  server.tool("cycle", {}, () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    return { content: [], structuredContent: cyclic };
  });
  server.tool("deep", {}, () => ({ content: [], structuredContent: { deep: nested(20_000) } }));
  server.tool("throws", {}, () => {
    throw new Error("tool failed");
  });
  server.tool("log-bigint", {}, async (_args, ctx) => {
    await ctx.log("info", "before");
    return { content: [], structuredContent: { n: 2n } as unknown as Record<string, unknown> };
  });
  return server;
}

const call = (name: string, id: number | string = 1) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: {} },
});

describe("results that do not serialise", () => {
  for (const name of ["bigint", "cycle", "deep"]) {
    it(`answers -32603 for the request's id when a tool returns ${name} structuredContent (JSON and SSE)`, async () => {
      const server = hostileServer();
      const headers = await openSession(server.fetch);
      const json = await post(server.fetch, call(name, 7), { ...headers, accept: JSON_ONLY });
      expect(json.status).toBe(200);
      expect(await json.json()).toEqual({ jsonrpc: "2.0", id: 7, error: { code: -32603, message: "Internal error" } });

      const sse = hostileServer({ responseMode: "sse" });
      const sseHeaders = await openSession(sse.fetch);
      const streamed = await post(sse.fetch, call(name, 8), sseHeaders);
      const reader = new SseReader(streamed);
      const event = await reader.nextMessage();
      expect(event?.message).toMatchObject({ id: 8, error: { code: -32603 } });
      expect(await reader.nextMessage()).toBeUndefined();
    });
  }

  it("answers -32603 on a live stream whose result does not serialise after a notification", async () => {
    const server = hostileServer();
    const headers = await openSession(server.fetch);
    const response = await post(server.fetch, call("log-bigint", 3), headers);
    const reader = new SseReader(response);
    const messages = [];
    for (let event = await reader.nextMessage(); event; event = await reader.nextMessage())
      messages.push(event.message);
    expect(messages.at(-1)).toMatchObject({ id: 3, error: { code: -32603 } });
  });

  it("answers a stateless batch whose one result does not serialise, item by item", async () => {
    const server = hostileServer({ stateless: true });
    const response = await post(server.fetch, [call("bigint", 1), { jsonrpc: "2.0", id: 2, method: "ping" }], {
      accept: JSON_ONLY,
      "mcp-protocol-version": "2025-03-26",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { jsonrpc: "2.0", id: 1, error: { code: -32603, message: "Internal error" } },
      { jsonrpc: "2.0", id: 2, result: {} },
    ]);
  });
});

describe("a client's reply nested deeper than the limit", () => {
  async function rootsRequestOnGetStream(server: McpServer, protocolVersion = "2025-11-25") {
    const headers = await openSession(server.fetch, { roots: {} }, protocolVersion);
    const get = await server.fetch(new Request(BASE, { headers: { ...headers, accept: "text/event-stream" } }));
    const stream = new SseReader(get);
    // JSON only: the server's roots/list cannot ride this POST, so it goes to the GET stream.
    const answer = post(server.fetch, call("roots", 5), { ...headers, accept: JSON_ONLY });
    const request = await stream.nextMessage();
    if (!request?.message || !("id" in request.message)) throw new Error("no roots/list on the GET stream");
    return { headers, answer, stream, requestId: request.message.id };
  }

  it("is refused with 400 -32600, and the tool's request still gets an answer", async () => {
    const server = hostileServer();
    const { headers, answer, stream, requestId } = await rootsRequestOnGetStream(server);
    const reply = await post(
      server.fetch,
      `{"jsonrpc":"2.0","id":${JSON.stringify(requestId)},"result":{"roots":${nestedText(6_000)}}}`,
      { ...headers, accept: JSON_ONLY },
    );
    expect(reply.status).toBe(400);
    expect((await reply.json()).error.code).toBe(-32600);
    const answered = await answer;
    expect(answered.status).toBe(200);
    // The reply never reached the tool: it timed out waiting for one.
    expect((await answered.json()).error.code).toBe(-32001);
    await stream.cancel();
  });

  it("is refused inside a batch too", async () => {
    const server = hostileServer();
    const { headers, answer, stream, requestId } = await rootsRequestOnGetStream(server, "2025-03-26");
    const reply = await post(
      server.fetch,
      `[{"jsonrpc":"2.0","id":${JSON.stringify(requestId)},"result":{"roots":${nestedText(6_000)}}}]`,
      { ...headers, accept: JSON_ONLY },
    );
    expect(reply.status).toBe(400);
    expect((await reply.json()).error.code).toBe(-32600);
    expect((await answer).status).toBe(200);
    await stream.cancel();
  });
});

describe("user hooks that fail", () => {
  it("answers when onError throws, from a tool's catch and from the answer path", async () => {
    const server = hostileServer({
      onError: () => {
        throw new Error("hook failed");
      },
    });
    const headers = await openSession(server.fetch);
    const thrown = await post(server.fetch, call("throws", 1), { ...headers, accept: JSON_ONLY });
    expect((await thrown.json()).result).toMatchObject({ isError: true });
    const unserialisable = await post(server.fetch, call("bigint", 2), { ...headers, accept: JSON_ONLY });
    expect((await unserialisable.json()).error.code).toBe(-32603);
  });

  it("answers when onError returns a rejected promise, and the rejection is observed", async () => {
    const server = hostileServer({ onError: async () => Promise.reject(new Error("async hook failed")) });
    const headers = await openSession(server.fetch);
    const response = await post(server.fetch, call("bigint", 2), { ...headers, accept: JSON_ONLY });
    expect((await response.json()).error.code).toBe(-32603);
  });

  it("answers 500 -32603 when authSubject throws, instead of rejecting server.fetch", async () => {
    const server = hostileServer({
      authSubject: () => {
        throw new Error("auth backend down");
      },
      onError: () => {
        throw new Error("and the hook too");
      },
    });
    const response = await post(server.fetch, {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "c", version: "1" } },
    });
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe(-32603);
  });
});

describe("accepts what it should", () => {
  it("still answers ordinary requests as JSON and as SSE", async () => {
    const server = hostileServer();
    const headers = await openSession(server.fetch);
    const ping = await post(server.fetch, { jsonrpc: "2.0", id: "p", method: "ping" }, headers);
    expect(await ping.json()).toEqual({ jsonrpc: "2.0", id: "p", result: {} });
    const get = await server.fetch(new Request(BASE, { headers: { ...headers, accept: BOTH } }));
    expect(get.headers.get("content-type")).toBe("text/event-stream");
    await get.body?.cancel();
  });
});
