import { afterEach, describe, expect, it, vi } from "vitest";
import { McpServer as FullServer, UriTemplate } from "../../src/index.js";
import { lane2026, McpServer } from "../../src/stateless.js";
import { openSession, post, SseReader } from "../helpers.js";
import { call, type ModernCall } from "./modern.js";

const ALL_CAPS = { sampling: {}, elicitation: {}, roots: { listChanged: true } };
const NAME_SCHEMA = { type: "object" as const, properties: { name: { type: "string" } }, required: ["name"] };

type Options = Partial<ConstructorParameters<typeof McpServer>[0]>;

/** Handlers written once: each asks the client through ctx, as it would in a 2025 session. */
function register(server: McpServer | FullServer): void {
  server.tool(
    "greet",
    { input: { type: "object", properties: { punctuation: { type: "string" } } } },
    async (args, ctx) => {
      const answer = await ctx.elicit({ message: "Your name?", requestedSchema: NAME_SCHEMA }, { key: "user_name" });
      const name = answer.action === "accept" ? String(answer.content?.name) : "stranger";
      return { content: [{ type: "text", text: `Hello ${name}${String(args.punctuation ?? "")}` }] };
    },
  );
  server.tool("two_rounds", {}, async (_args, ctx) => {
    const first = await ctx.elicit({ message: "Name?", requestedSchema: NAME_SCHEMA });
    const second = await ctx.elicit({
      message: `Favourite colour, ${String(first.content?.name)}?`,
      requestedSchema: { type: "object", properties: { color: { type: "string" } } },
    });
    return {
      content: [{ type: "text", text: `${String(first.content?.name)} likes ${String(second.content?.color)}` }],
    };
  });
  server.tool("all_at_once", {}, async (_args, ctx) => {
    const [form, sample, roots] = await Promise.all([
      ctx.elicit({ message: "Confirm?", requestedSchema: { type: "object", properties: {} } }),
      ctx.sample({
        messages: [{ role: "user", content: { type: "text", text: "Capital of France?" } }],
        maxTokens: 10,
      }),
      ctx.listRoots(),
    ]);
    return {
      content: [
        {
          type: "text",
          text: `${form.action}/${JSON.stringify(sample.content)}/${roots.roots.map((root) => root.uri).join(",")}`,
        },
      ],
    };
  });
  server.tool("sample_if_possible", {}, async (_args, ctx) => {
    if (ctx.clientCapabilities?.sampling === undefined) return { content: [{ type: "text", text: "no sampling" }] };
    const sample = await ctx.sample({
      messages: [{ role: "user", content: { type: "text", text: "?" } }],
      maxTokens: 5,
    });
    return { content: [{ type: "text", text: JSON.stringify(sample.content) }] };
  });
  server.prompt("named_prompt", {}, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: "Name?", requestedSchema: NAME_SCHEMA });
    return {
      messages: [{ role: "user", content: { type: "text", text: `Write to ${String(answer.content?.name)}` } }],
    };
  });
  server.resource("test://rooted", { name: "rooted" }, async (uri, ctx) => {
    const { roots } = await ctx.listRoots();
    return { contents: [{ uri: uri.href, text: roots.map((root) => root.uri).join(",") }] };
  });
}

function mrtrServer(options: Options = {}): McpServer {
  const server = new McpServer({ lane2026, name: "mrtr", version: "1", ...options });
  register(server);
  return server;
}

const greet = (extra: Partial<ModernCall> = {}, params: Record<string, unknown> = {}): ModernCall => ({
  method: "tools/call",
  capabilities: ALL_CAPS,
  ...extra,
  params: { name: "greet", arguments: {}, ...params },
});

const alice = { action: "accept", content: { name: "Alice" } };

afterEach(() => {
  vi.useRealTimers();
});

describe("MRTR: ctx.elicit / ctx.sample / ctx.listRoots on the 2026 lane", () => {
  it("answers input_required with the named input request and a sealed requestState, then completes", async () => {
    const server = mrtrServer();
    const first = await call(server.fetch, greet({ id: 1 }));
    expect(first.status).toBe(200);
    const result = first.body.result as Record<string, unknown>;
    expect(result.resultType).toBe("input_required");
    expect(result.inputRequests).toEqual({
      user_name: { method: "elicitation/create", params: { message: "Your name?", requestedSchema: NAME_SCHEMA } },
    });
    expect(typeof result.requestState).toBe("string");
    expect(result.ttlMs).toBeUndefined();
    expect(result._meta).toHaveProperty(["io.modelcontextprotocol/serverInfo"]);
    const second = await call(
      server.fetch,
      greet({ id: 2 }, { inputResponses: { user_name: alice }, requestState: result.requestState }),
    );
    expect(second.body.result).toMatchObject({
      resultType: "complete",
      content: [{ type: "text", text: "Hello Alice" }],
    });
  });

  it("carries earlier answers in the state: per-round inputResponses are replaced, not accumulated", async () => {
    const server = mrtrServer();
    const named = (params: Record<string, unknown>) => ({
      method: "tools/call",
      capabilities: ALL_CAPS,
      params: { name: "two_rounds", arguments: {}, ...params },
    });
    const r1 = (await call(server.fetch, named({}))).body.result as Record<string, unknown>;
    expect(Object.keys(r1.inputRequests as object)).toEqual(["elicitation-1"]);
    const r2 = (
      await call(server.fetch, named({ inputResponses: { "elicitation-1": alice }, requestState: r1.requestState }))
    ).body.result as Record<string, unknown>;
    expect(r2.resultType).toBe("input_required");
    expect(Object.keys(r2.inputRequests as object)).toEqual(["elicitation-2"]);
    expect(r2.requestState).not.toBe(r1.requestState);
    const r3 = await call(
      server.fetch,
      named({
        inputResponses: { "elicitation-2": { action: "accept", content: { color: "blue" } } },
        requestState: r2.requestState,
      }),
    );
    expect(r3.body.result).toMatchObject({ resultType: "complete", content: [{ text: "Alice likes blue" }] });
  });

  it("asks for everything requested together in one round", async () => {
    const server = mrtrServer();
    const request = { method: "tools/call", capabilities: ALL_CAPS, params: { name: "all_at_once", arguments: {} } };
    const r1 = (await call(server.fetch, request)).body.result as Record<string, unknown>;
    const inputRequests = r1.inputRequests as Record<string, { method: string }>;
    expect(Object.values(inputRequests).map((entry) => entry.method)).toEqual([
      "elicitation/create",
      "sampling/createMessage",
      "roots/list",
    ]);
    const answers: Record<string, unknown> = {
      "elicitation-1": { action: "accept", content: {} },
      "sampling-2": {
        role: "assistant",
        content: { type: "text", text: "Paris" },
        model: "test-model",
        stopReason: "endTurn",
      },
      "roots-3": { roots: [{ uri: "file:///test/root", name: "Test Root" }] },
    };
    expect(Object.keys(inputRequests)).toEqual(Object.keys(answers));
    const r2 = await call(server.fetch, {
      ...request,
      params: { ...request.params, inputResponses: answers, requestState: r1.requestState },
    });
    expect(r2.body.result).toMatchObject({
      resultType: "complete",
      content: [{ text: 'accept/{"type":"text","text":"Paris"}/file:///test/root' }],
    });
  });

  it("re-asks for missing or malformed answers and ignores extra keys", async () => {
    const server = mrtrServer();
    const wrongKey = await call(server.fetch, greet({}, { inputResponses: { wrong_key: alice } }));
    expect(wrongKey.body.result?.resultType).toBe("input_required");
    for (const inputResponses of [{ user_name: 12345 }, null, { user_name: { action: "maybe" } }]) {
      const invalid = await call(server.fetch, greet({}, { inputResponses }));
      expect(invalid.body.result?.resultType).toBe("input_required");
    }
    const extra = await call(
      server.fetch,
      greet({}, { inputResponses: { user_name: alice, unknown_extra_key: { x: 1 }, another_unexpected: "y" } }),
    );
    expect(extra.body.result).toMatchObject({ resultType: "complete", content: [{ text: "Hello Alice" }] });
  });

  it("binds the state to the arguments the client sent, even when the handler changes its copy", async () => {
    const server = new McpServer({ lane2026, name: "mrtr", version: "1" });
    server.tool("mutating", { input: { type: "object", properties: { n: { type: "number" } } } }, async (args, ctx) => {
      args.n = Number(args.n) + 1;
      const answer = await ctx.elicit({ message: "Name?", requestedSchema: NAME_SCHEMA });
      return { content: [{ type: "text", text: `${String(answer.content?.name)} ${String(args.n)}` }] };
    });
    const named = (params: Record<string, unknown>) => ({
      method: "tools/call",
      capabilities: ALL_CAPS,
      params: { name: "mutating", arguments: { n: 1 }, ...params },
    });
    const r1 = (await call(server.fetch, named({}))).body.result as Record<string, unknown>;
    expect(r1.resultType).toBe("input_required");
    const [key] = Object.keys(r1.inputRequests as object);
    const r2 = await call(
      server.fetch,
      named({ inputResponses: { [String(key)]: alice }, requestState: r1.requestState }),
    );
    expect(r2.body.result).toMatchObject({ resultType: "complete", content: [{ type: "text", text: "Alice 2" }] });
  });

  it("refuses a tampered, foreign-request or malformed state with -32602, in band", async () => {
    const server = mrtrServer();
    const r1 = (await call(server.fetch, greet())).body.result as Record<string, unknown>;
    const state = String(r1.requestState);
    const flipped = `${state.slice(0, -2)}${state.at(-2) === "A" ? "B" : "A"}${state.slice(-1)}`;
    for (const requestState of [`${state}-TAMPERED`, flipped, "v1.", "garbage", 42]) {
      const retry = await call(server.fetch, greet({}, { inputResponses: { user_name: alice }, requestState }));
      expect([retry.status, retry.body.error?.code]).toEqual([200, -32602]);
      expect(retry.body.error?.data).toEqual({ reason: "invalid_request_state" });
    }
    const otherArgs = await call(server.fetch, {
      ...greet(),
      params: {
        name: "greet",
        arguments: { punctuation: "!" },
        inputResponses: { user_name: alice },
        requestState: state,
      },
    });
    expect(otherArgs.body.error?.code).toBe(-32602);
    const otherTool = await call(server.fetch, {
      method: "tools/call",
      capabilities: ALL_CAPS,
      params: { name: "two_rounds", arguments: {}, requestState: state },
    });
    expect(otherTool.body.error?.code).toBe(-32602);
  });

  it("binds the state to the principal", async () => {
    const server = mrtrServer({ authSubject: (request) => request.headers.get("x-user") ?? undefined });
    const r1 = (await call(server.fetch, greet({ headers: { "x-user": "alice" } }))).body.result as Record<
      string,
      unknown
    >;
    const params = { inputResponses: { user_name: alice }, requestState: r1.requestState };
    const bob = await call(server.fetch, greet({ headers: { "x-user": "bob" } }, params));
    expect(bob.body.error?.code).toBe(-32602);
    const anonymous = await call(server.fetch, greet({}, params));
    expect(anonymous.body.error?.code).toBe(-32602);
    const same = await call(server.fetch, greet({ headers: { "x-user": "alice" } }, params));
    expect(same.body.result?.resultType).toBe("complete");
  });

  it("expires states", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const server = mrtrServer({ requestState: { ttlMs: 60_000 } });
    const r1 = (await call(server.fetch, greet())).body.result as Record<string, unknown>;
    vi.setSystemTime(Date.now() + 60_001);
    const late = await call(
      server.fetch,
      greet({}, { inputResponses: { user_name: alice }, requestState: r1.requestState }),
    );
    expect(late.body.error?.code).toBe(-32602);
  });

  it("opens states across instances that share a key, and through a rotation; never with another key", async () => {
    const k1 = "k1-0123456789abcdef0123456789abcdef";
    const k2 = new TextEncoder().encode("k2-0123456789abcdef0123456789abcdef");
    const a = mrtrServer({ requestState: { keys: [k1] } });
    const rotated = mrtrServer({ requestState: { keys: [k2, k1] } });
    const onlyNew = mrtrServer({ requestState: { keys: [k2] } });
    const unconfigured = mrtrServer();
    const state = ((await call(a.fetch, greet())).body.result as Record<string, unknown>).requestState;
    const retry = greet({}, { inputResponses: { user_name: alice }, requestState: state });
    expect((await call(rotated.fetch, retry)).body.result?.resultType).toBe("complete");
    expect((await call(onlyNew.fetch, retry)).body.error?.code).toBe(-32602);
    expect((await call(unconfigured.fetch, retry)).body.error?.code).toBe(-32602);
    const sealedByRotated = ((await call(rotated.fetch, greet())).body.result as Record<string, unknown>).requestState;
    const retryNew = greet({}, { inputResponses: { user_name: alice }, requestState: sealedByRotated });
    expect((await call(onlyNew.fetch, retryNew)).body.result?.resultType).toBe("complete");
    expect((await call(a.fetch, retryNew)).body.error?.code).toBe(-32602);
  });

  it("refuses keys shorter than 32 bytes as a configuration error", () => {
    const server = mrtrServer({ requestState: { keys: ["short"] } });
    expect(() => server.fetch(new Request("http://localhost/mcp"))).toThrow(RangeError);
  });

  it("never asks for a capability the request did not declare: 400 -32021 naming it", async () => {
    const server = mrtrServer();
    const { status, body } = await call(server.fetch, greet({ id: 7, capabilities: { sampling: {} } }));
    expect(status).toBe(400);
    expect(body.id).toBe(7);
    expect(body.error?.code).toBe(-32021);
    expect(body.error?.data).toEqual({ requiredCapabilities: { elicitation: {} } });
    const aware = await call(server.fetch, {
      method: "tools/call",
      capabilities: { sampling: {} },
      params: { name: "sample_if_possible", arguments: {} },
    });
    const requests = (aware.body.result as { inputRequests: Record<string, { method: string }> }).inputRequests;
    expect(Object.values(requests).map((entry) => entry.method)).toEqual(["sampling/createMessage"]);
  });

  it("works in prompts/get and resources/read", async () => {
    const server = mrtrServer();
    const prompt = { method: "prompts/get", capabilities: ALL_CAPS, params: { name: "named_prompt" } };
    const p1 = (await call(server.fetch, prompt)).body.result as Record<string, unknown>;
    expect(p1.resultType).toBe("input_required");
    const p2 = await call(server.fetch, {
      ...prompt,
      params: { ...prompt.params, inputResponses: { "elicitation-1": alice }, requestState: p1.requestState },
    });
    expect(p2.body.result).toMatchObject({
      resultType: "complete",
      messages: [{ content: { text: "Write to Alice" } }],
    });
    const read = { method: "resources/read", capabilities: ALL_CAPS, params: { uri: "test://rooted" } };
    const r1 = (await call(server.fetch, read)).body.result as Record<string, unknown>;
    expect(r1.ttlMs).toBeUndefined();
    const r2 = await call(server.fetch, {
      ...read,
      params: {
        ...read.params,
        inputResponses: { "roots-1": { roots: [{ uri: "file:///a" }] } },
        requestState: r1.requestState,
      },
    });
    expect(r2.body.result).toMatchObject({ resultType: "complete", contents: [{ text: "file:///a" }], ttlMs: 0 });
  });

  it("lets no other method ask for input", async () => {
    const server = new McpServer({ lane2026, name: "lists", version: "1" });
    server.resourceTemplate(
      new UriTemplate("test://t/{id}"),
      {
        name: "t",
        list: async (ctx) => {
          await ctx.listRoots();
          return [];
        },
      },
      async (uri) => ({ contents: [{ uri: uri.href, text: "" }] }),
    );
    const { status, body } = await call(server.fetch, { method: "resources/list", capabilities: ALL_CAPS });
    expect(status).toBe(200);
    expect(body.error?.code).toBe(-32603);
    expect(body.result).toBeUndefined();
  });

  it("answers input_required even when the handler neither awaits nor catches its ask", async () => {
    const server = new McpServer({ lane2026, name: "careless", version: "1" });
    server.tool("fire_and_forget", {}, async (_args, ctx) => {
      void ctx.elicit({ message: "Sure?", requestedSchema: { type: "object", properties: {} } });
      return { content: [{ type: "text", text: "returned anyway" }] };
    });
    const { body } = await call(server.fetch, {
      method: "tools/call",
      capabilities: ALL_CAPS,
      params: { name: "fire_and_forget", arguments: {} },
    });
    expect(body.result?.resultType).toBe("input_required");
  });

  it("runs the same handler as a push request in a 2025 session", async () => {
    const server = new FullServer({ name: "both", version: "1", stateless: false });
    register(server);
    const headers = await openSession(server.fetch, { elicitation: {} });
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "greet", arguments: {} } },
      headers,
    );
    const reader = new SseReader(response);
    const pushed = (await reader.nextMessage())?.message as { id: number; method: string; params: unknown };
    expect(pushed.method).toBe("elicitation/create");
    expect(pushed.params).toEqual({ message: "Your name?", requestedSchema: NAME_SCHEMA });
    await post(server.fetch, { jsonrpc: "2.0", id: pushed.id, result: alice }, headers);
    expect((await reader.nextMessage())?.message).toMatchObject({
      id: 9,
      result: { content: [{ text: "Hello Alice" }] },
    });
    await server.close();
  });
});
