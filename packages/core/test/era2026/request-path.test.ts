import { describe, expect, it } from "vitest";
import { McpServer as FullServer, InMemorySessionStore, UriTemplate } from "../../src/index.js";
import { lane2026, McpServer } from "../../src/stateless.js";
import { BASE, BOTH, initializeRequest, post } from "../helpers.js";
import { call, MODERN, modernRequest } from "./modern.js";

function fixture(options: Partial<ConstructorParameters<typeof McpServer>[0]> = {}): McpServer {
  const server = new McpServer({ lane2026, name: "lane", version: "2.0.0", instructions: "Be brief.", ...options });
  server.tool("echo", { input: { type: "object", properties: { text: { type: "string" } } } }, async ({ text }) => ({
    content: [{ type: "text", text: String(text) }],
  }));
  server.tool("héllo wörld", {}, async () => ({ content: [{ type: "text", text: "unicode" }] }));
  server.resource("test://static", { name: "static", mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "static" }],
  }));
  server.resource(
    "test://hinted",
    { name: "hinted", cacheHint: { ttlMs: 60_000, cacheScope: "public" } },
    async (uri) => ({ contents: [{ uri: uri.href, text: "hinted" }] }),
  );
  server.resource("test://own", { name: "own" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "own" }],
    ttlMs: 5,
    cacheScope: "public",
  }));
  server.resourceTemplate(
    new UriTemplate("test://item/{id}"),
    { name: "item", cacheHint: { ttlMs: 7 } },
    async (uri, { id }) => ({
      contents: [{ uri: uri.href, text: `item ${String(id)}` }],
    }),
  );
  server.prompt("greet", { arguments: [{ name: "who", required: true }] }, async ({ who }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Hello ${who}` } }],
  }));
  return server;
}

const rawPost = (server: McpServer | FullServer, body: unknown, headers: Record<string, string>) =>
  server.fetch(
    new Request(BASE, {
      method: "POST",
      headers: { "content-type": "application/json", accept: BOTH, ...headers },
      body: JSON.stringify(body),
    }),
  );

describe("2026 lane: server/discover", () => {
  it("describes the server: versions, capabilities, instructions, cache fields, serverInfo in _meta", async () => {
    const { status, body } = await call(fixture().fetch, { id: 201, method: "server/discover" });
    expect(status).toBe(200);
    expect(body.id).toBe(201);
    const result = body.result as Record<string, unknown>;
    expect(result.resultType).toBe("complete");
    expect(result.supportedVersions).toEqual([MODERN]);
    expect(result.capabilities).toMatchObject({ tools: {}, resources: { subscribe: true }, prompts: {} });
    expect(result.instructions).toBe("Be brief.");
    expect(result.ttlMs).toBe(0);
    expect(result.cacheScope).toBe("private");
    expect(result.serverInfo).toBeUndefined();
    expect((result._meta as Record<string, unknown>)["io.modelcontextprotocol/serverInfo"]).toEqual({
      name: "lane",
      version: "2.0.0",
    });
  });

  it("answers without clientInfo, which is optional", async () => {
    const { status, body } = await call(fixture().fetch, {
      id: 105,
      method: "server/discover",
      meta: { "io.modelcontextprotocol/clientInfo": null },
    });
    expect(status).toBe(200);
    expect(body.result?.resultType).toBe("complete");
  });
});

describe("2026 lane: the envelope", () => {
  it("refuses a modern header without a claim: 400 -32602, the id echoed", async () => {
    const server = fixture();
    const headers = { "mcp-protocol-version": MODERN, "mcp-method": "server/discover" };
    const response = await rawPost(server, { jsonrpc: "2.0", id: 101, method: "server/discover", params: {} }, headers);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { id: number; error: { code: number; data: unknown } };
    expect(body.id).toBe(101);
    expect(body.error.code).toBe(-32602);
    expect(body.error.data).toEqual({ envelope: { missing: ["_meta"] } });
    const noVersion = await rawPost(
      server,
      {
        jsonrpc: "2.0",
        id: 102,
        method: "server/discover",
        params: { _meta: { "io.modelcontextprotocol/clientCapabilities": {} } },
      },
      headers,
    );
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { code: number } }).error.code).toBe(-32602);
  });

  it("requires clientCapabilities and a valid logLevel: 400 -32602 naming the key", async () => {
    const server = fixture();
    const missing = await call(server.fetch, {
      id: 104,
      method: "server/discover",
      meta: { "io.modelcontextprotocol/clientCapabilities": null },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.id).toBe(104);
    expect(missing.body.error?.code).toBe(-32602);
    expect(missing.body.error?.data).toEqual({
      envelope: { key: "io.modelcontextprotocol/clientCapabilities", problem: "missing" },
    });
    const level = await call(server.fetch, {
      method: "server/discover",
      meta: { "io.modelcontextprotocol/logLevel": "loud" },
    });
    expect(level.status).toBe(400);
    expect(level.body.error?.code).toBe(-32602);
  });
});

describe("2026 lane: versions and headers", () => {
  it("answers an unsupported claim 400 -32022 with supported (a subset of discover's) and requested", async () => {
    const server = fixture();
    const { status, body } = await call(server.fetch, {
      id: 301,
      method: "server/discover",
      meta: { "io.modelcontextprotocol/protocolVersion": "v999.0.0" },
      headers: { "mcp-protocol-version": "v999.0.0" },
    });
    expect(status).toBe(400);
    expect(body.id).toBe(301);
    expect(body.error?.code).toBe(-32022);
    expect(body.error?.data).toEqual({ supported: [MODERN], requested: "v999.0.0" });
  });

  it("checks the header against the claim before the version: 400 -32020", async () => {
    const { status, body } = await call(fixture().fetch, {
      id: 302,
      method: "server/discover",
      meta: { "io.modelcontextprotocol/protocolVersion": "v999.0.0" },
    });
    expect(status).toBe(400);
    expect(body.id).toBe(302);
    expect(body.error?.code).toBe(-32020);
  });

  it("an unsupported claim without any header is -32022; a supported one without the header is -32020", async () => {
    const server = fixture();
    const unsupported = await call(server.fetch, {
      method: "server/discover",
      meta: { "io.modelcontextprotocol/protocolVersion": "2027-01-01" },
      headers: { "mcp-protocol-version": null },
    });
    expect([unsupported.status, unsupported.body.error?.code]).toEqual([400, -32022]);
    const headerless = await call(server.fetch, {
      method: "server/discover",
      headers: { "mcp-protocol-version": null },
    });
    expect([headerless.status, headerless.body.error?.code]).toEqual([400, -32020]);
  });

  it("requires Mcp-Method equal to the body's method", async () => {
    const server = fixture();
    const missing = await call(server.fetch, { method: "tools/list", headers: { "mcp-method": null } });
    expect([missing.status, missing.body.error?.code]).toEqual([400, -32020]);
    const wrong = await call(server.fetch, { method: "tools/list", headers: { "mcp-method": "prompts/list" } });
    expect([wrong.status, wrong.body.error?.code]).toEqual([400, -32020]);
  });

  it("requires Mcp-Name for tools/call, prompts/get and resources/read, decoding the base64 form", async () => {
    const server = fixture();
    const missing = await call(server.fetch, {
      method: "tools/call",
      params: { name: "echo", arguments: { text: "x" } },
      headers: { "mcp-name": null },
    });
    expect([missing.status, missing.body.error?.code]).toEqual([400, -32020]);
    const wrong = await call(server.fetch, {
      method: "resources/read",
      params: { uri: "test://static" },
      headers: { "mcp-name": "test://other" },
    });
    expect([wrong.status, wrong.body.error?.code]).toEqual([400, -32020]);
    const encoded = `=?base64?${btoa(String.fromCharCode(...new TextEncoder().encode("héllo wörld")))}?=`;
    const unicode = await call(server.fetch, {
      method: "tools/call",
      params: { name: "héllo wörld", arguments: {} },
      headers: { "mcp-name": encoded },
    });
    expect(unicode.status).toBe(200);
    expect(unicode.body.result?.content).toEqual([{ type: "text", text: "unicode" }]);
    const malformed = await call(server.fetch, {
      method: "prompts/get",
      params: { name: "greet", arguments: { who: "A" } },
      headers: { "mcp-name": "=?base64?not base64!?=" },
    });
    expect([malformed.status, malformed.body.error?.code]).toEqual([400, -32020]);
    const prompt = await call(server.fetch, {
      method: "prompts/get",
      params: { name: "greet", arguments: { who: "A" } },
    });
    expect(prompt.body.result?.resultType).toBe("complete");
  });
});

describe("2026 lane: methods", () => {
  it("answers removed and unknown methods 404 -32601 with the id", async () => {
    const server = fixture();
    for (const method of [
      "initialize",
      "ping",
      "logging/setLevel",
      "resources/subscribe",
      "resources/unsubscribe",
      "unknown/method",
    ]) {
      const params = method === "initialize" ? { protocolVersion: MODERN, capabilities: {} } : { uri: "test://static" };
      const { status, body } = await call(server.fetch, { id: 500, method, params });
      expect([method, status, body.id, body.error?.code]).toEqual([method, 404, 500, -32601]);
    }
  });

  it("serves no method of a capability the server does not declare", async () => {
    const server = new McpServer({ lane2026, name: "bare", version: "1" });
    server.prompt("p", {}, async () => ({ messages: [] }));
    const tools = await call(server.fetch, { method: "tools/list" });
    expect([tools.status, tools.body.error?.code]).toEqual([404, -32601]);
    const prompts = await call(server.fetch, { method: "prompts/list" });
    expect(prompts.body.result?.prompts).toHaveLength(1);
  });

  it("stamps resultType on every result and cache fields on cacheable ones", async () => {
    const server = fixture();
    for (const method of ["tools/list", "prompts/list", "resources/list", "resources/templates/list"]) {
      const { body } = await call(server.fetch, { method });
      expect([method, body.result?.resultType, body.result?.ttlMs, body.result?.cacheScope]).toEqual([
        method,
        "complete",
        0,
        "private",
      ]);
      expect(body.result?._meta?.["io.modelcontextprotocol/serverInfo"]).toEqual({ name: "lane", version: "2.0.0" });
    }
    const tool = await call(server.fetch, {
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" } },
    });
    expect(tool.body.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: "hi" }] });
    expect(tool.body.result?.ttlMs).toBeUndefined();
    const completion = await call(server.fetch, {
      method: "completion/complete",
      params: { ref: { type: "ref/prompt", name: "greet" }, argument: { name: "who", value: "" } },
    });
    expect(completion.body.result?.resultType).toBe("complete");
  });

  it("takes cache fields from the handler, then the resource, then the method, then the server", async () => {
    const server = fixture({
      cacheHints: { ttlMs: 1_000, methods: { "tools/list": { ttlMs: 2_000, cacheScope: "public" } } },
    });
    const read = async (uri: string) =>
      (await call(server.fetch, { method: "resources/read", params: { uri } })).body.result as Record<string, unknown>;
    expect(await read("test://static")).toMatchObject({ ttlMs: 1_000, cacheScope: "private" });
    expect(await read("test://hinted")).toMatchObject({ ttlMs: 60_000, cacheScope: "public" });
    expect(await read("test://own")).toMatchObject({ ttlMs: 5, cacheScope: "public" });
    expect(await read("test://item/9")).toMatchObject({ ttlMs: 7, cacheScope: "private" });
    const list = await call(server.fetch, { method: "tools/list" });
    expect(list.body.result).toMatchObject({ ttlMs: 2_000, cacheScope: "public" });
    const listed = await call(server.fetch, { method: "resources/list" });
    expect(JSON.stringify(listed.body.result)).not.toContain("cacheHint");
  });

  it("refuses invalid cache hints as a configuration error", () => {
    const server = fixture({ cacheHints: { ttlMs: -1 } });
    expect(() => server.fetch(modernRequest({ method: "server/discover" }))).toThrow(RangeError);
  });

  it("answers a missing resource -32602 with its uri, in band", async () => {
    const uri = "test://nonexistent-resource-for-conformance-testing";
    const { status, body } = await call(fixture().fetch, { method: "resources/read", params: { uri } });
    expect(status).toBe(200);
    expect(body.error?.code).toBe(-32602);
    expect(body.error?.data).toEqual({ uri });
  });

  it("answers 202 to a notification and refuses a batch that holds a claim", async () => {
    const server = fixture();
    const note = await server.fetch(modernRequest({ method: "notifications/cancelled", params: { requestId: 1 } }));
    expect(note.status).toBe(202);
    const meta = {
      "io.modelcontextprotocol/protocolVersion": MODERN,
      "io.modelcontextprotocol/clientCapabilities": {},
    };
    const batch = await rawPost(
      server,
      [
        { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: meta } },
        { jsonrpc: "2.0", id: 2, method: "tools/list" },
      ],
      {},
    );
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { error: { code: number } }).error.code).toBe(-32600);
  });
});

describe("2026 lane: era detection beside the 2025 lane", () => {
  it("keeps initialize, sessions and claim-less requests on the 2025 lane", async () => {
    const store = new InMemorySessionStore();
    let writes = 0;
    const set = store.set.bind(store);
    store.set = (record, ttl) => {
      writes++;
      return set(record, ttl);
    };
    const server = new FullServer({ name: "dual", version: "1", sessionStore: store, stateless: false });
    server.tool("echo", {}, async () => ({ content: [{ type: "text", text: "ok" }] }));
    const modern = await call(server.fetch, { method: "tools/call", params: { name: "echo", arguments: {} } });
    expect(modern.body.result?.resultType).toBe("complete");
    expect(writes).toBe(0);
    const initialized = await post(server.fetch, initializeRequest());
    expect(initialized.headers.get("mcp-session-id")).toBeTruthy();
    const init = (await initialized.json()) as { result: Record<string, unknown> };
    expect(init.result.protocolVersion).toBe("2025-11-25");
    expect(init.result.resultType).toBeUndefined();
    expect(writes).toBe(1);
  });

  it("a 2026 request on an auto-mode server gets no session id and never reads the store", async () => {
    const store = new InMemorySessionStore();
    let reads = 0;
    const get = store.get.bind(store);
    store.get = (id, ttl) => {
      reads++;
      return get(id, ttl);
    };
    const server = new FullServer({ name: "auto", version: "1", sessionStore: store });
    server.tool("echo", {}, async () => ({ content: [{ type: "text", text: "ok" }] }));
    const response = await server.fetch(
      modernRequest({
        method: "tools/call",
        params: { name: "echo", arguments: {} },
        headers: { "mcp-session-id": "bogus" },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    expect(reads).toBe(0);
  });

  it("refuses an initialize without a claim but with a modern header: 400 -32020", async () => {
    const response = await rawPost(fixture(), initializeRequest(), { "mcp-protocol-version": MODERN });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32020);
  });

  it("with lanes ['2026']: GET and DELETE 405, claim-less requests -32022", async () => {
    const server = new FullServer({ name: "modern-only", version: "1", lanes: ["2026"] });
    for (const method of ["GET", "DELETE"]) {
      const response = await server.fetch(new Request(BASE, { method, headers: { accept: "text/event-stream" } }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
    const init = await post(server.fetch, initializeRequest());
    expect(init.status).toBe(400);
    const body = (await init.json()) as { id: number; error: { code: number; data: unknown } };
    expect(body.id).toBe(0);
    expect(body.error.code).toBe(-32022);
    expect(body.error.data).toEqual({ supported: [MODERN], requested: "2025-11-25" });
    const discover = await call(server.fetch, { method: "server/discover" });
    expect(discover.body.result?.supportedVersions).toEqual([MODERN]);
  });

  it("with lanes ['2026']: 2025 notifications are dropped (202) and batches refused", async () => {
    const server = new McpServer({ lane2026, name: "modern-only", version: "1", lanes: ["2026"] });
    const note = await post(server.fetch, { jsonrpc: "2.0", method: "notifications/initialized" });
    expect(note.status).toBe(202);
    const batch = await post(server.fetch, [{ jsonrpc: "2.0", id: 1, method: "ping" }]);
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { error: { code: number } }).error.code).toBe(-32600);
    const ping = await post(server.fetch, { jsonrpc: "2.0", id: "p", method: "ping" });
    expect(ping.status).toBe(400);
    expect(await ping.json()).toMatchObject({ id: "p", error: { code: -32022, data: { supported: [MODERN] } } });
  });

  it("with lanes ['2025']: a 2026 claim is not served", async () => {
    const server = new McpServer({ lane2026, name: "legacy-only", version: "1", lanes: ["2025"] });
    const { status } = await call(server.fetch, { method: "server/discover" });
    expect(status).toBe(400);
    expect(() =>
      new McpServer({ lane2026, name: "none", version: "1", lanes: [] }).fetch(modernRequest({ method: "x" })),
    ).toThrow();
  });
});

describe("2026 lane: response streams", () => {
  function loggingServer(): McpServer {
    const server = new McpServer({ lane2026, name: "log", version: "1" });
    server.tool("logs", {}, async (_args, ctx) => {
      await ctx.log("debug", "fine detail");
      await ctx.log("warning", "careful");
      await ctx.progress(1, 2);
      return { content: [{ type: "text", text: "done" }] };
    });
    return server;
  }

  it("sends no log message unless the request named a logLevel", async () => {
    const server = loggingServer();
    const quiet = await call(server.fetch, { method: "tools/call", params: { name: "logs", arguments: {} } });
    expect(quiet.frames).toEqual([]);
    expect(quiet.body.result?.resultType).toBe("complete");
    const loud = await call(server.fetch, {
      method: "tools/call",
      params: { name: "logs", arguments: {} },
      meta: { "io.modelcontextprotocol/logLevel": "info" },
    });
    const methods = loud.frames.map((frame) => frame.method ?? "response");
    expect(methods).toEqual(["notifications/message", "response"]);
    expect(loud.frames[0]?.params).toMatchObject({ level: "warning" });
  });

  it("streams progress when asked, and never a request", async () => {
    const { frames } = await call(loggingServer().fetch, {
      method: "tools/call",
      params: { name: "logs", arguments: {} },
      meta: { progressToken: "p-1" },
    });
    expect(frames.map((frame) => frame.method ?? "response")).toEqual(["notifications/progress", "response"]);
    expect(frames[0]?.params).toEqual({ progressToken: "p-1", progress: 1, total: 2 });
  });

  it("cancels the handler when the client closes the response stream", async () => {
    let aborted: () => void = () => {};
    const sawAbort = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const server = new McpServer({ lane2026, name: "cancel", version: "1" });
    server.tool("wait", {}, async (_args, ctx) => {
      await ctx.progress(0);
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      aborted();
      return { content: [{ type: "text", text: "cancelled" }] };
    });
    const response = await server.fetch(
      modernRequest({ method: "tools/call", params: { name: "wait", arguments: {} }, meta: { progressToken: 1 } }),
    );
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    await sawAbort;
  });

  it("answers -32021 with HTTP 400 when a handler needs a capability the request did not declare", async () => {
    const server = new McpServer({ lane2026, name: "caps", version: "1" });
    server.tool("needs_sampling", {}, async (_args, ctx) => {
      await ctx.sample({ messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 });
      return { content: [{ type: "text", text: "never" }] };
    });
    const { status, body } = await call(server.fetch, {
      id: 401,
      method: "tools/call",
      params: { name: "needs_sampling", arguments: {} },
    });
    expect(status).toBe(400);
    expect(body.id).toBe(401);
    expect(body.error?.code).toBe(-32021);
    expect(body.error?.data).toEqual({ requiredCapabilities: { sampling: {} } });
  });
});
