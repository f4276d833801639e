/**
 * Raw HTTP against the built example server: every guard and error path a real client never sends.
 * Each case checks the HTTP status and, where there is one, the JSON-RPC error code.
 */
import { type ExampleServer, rawPost, startExampleServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  JSON_AND_SSE,
  LATEST_PROTOCOL_VERSION,
  post,
  readJson,
  readMessages,
  readSingle,
  rpc,
  type WireMessage,
} from "./harness.js";

const INITIALIZE_PARAMS = {
  protocolVersion: LATEST_PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: "raw-http-test", version: "1.0.0" },
};

function expectRpcError(message: WireMessage, code: number): void {
  expect(message.jsonrpc).toBe("2.0");
  expect(message.result).toBeUndefined();
  expect(message.error?.code).toBe(code);
  expect(typeof message.error?.message).toBe("string");
}

describe("raw HTTP guards and errors, MCP_MODE=stateless", () => {
  let server: ExampleServer;

  beforeAll(async () => {
    server = await startExampleServer({ env: { MCP_MODE: "stateless" } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("answers malformed JSON with HTTP 400 and -32700", async () => {
    const response = await post(server.url, '{"jsonrpc":"2.0","id":1,"method":');
    expect(response.status).toBe(400);
    const body = await readSingle(response);
    expectRpcError(body, -32700);
    expect(body.id).toBeNull();
  });

  it("answers a request of invalid shape with HTTP 400 and -32600", async () => {
    const missingMethod = await post(server.url, { jsonrpc: "2.0", id: 1 });
    expect(missingMethod.status).toBe(400);
    expectRpcError(await readSingle(missingMethod), -32600);

    const wrongVersion = await post(server.url, { jsonrpc: "1.0", id: 2, method: "ping" });
    expect(wrongVersion.status).toBe(400);
    expectRpcError(await readSingle(wrongVersion), -32600);

    const nullId = await post(server.url, { jsonrpc: "2.0", id: null, method: "ping" });
    expect(nullId.status).toBe(400);
    expectRpcError(await readSingle(nullId), -32600);
  });

  it("answers an unknown method with -32601 and the request's id", async () => {
    const response = await post(server.url, rpc(7, "no/such/method"));
    expect(response.status).toBe(200);
    const body = await readSingle(response);
    expectRpcError(body, -32601);
    expect(body.id).toBe(7);
  });

  it("answers tools/call of an unknown tool with -32602", async () => {
    const response = await post(server.url, rpc(8, "tools/call", { name: "no_such_tool", arguments: {} }));
    expect(response.status).toBe(200);
    const body = await readSingle(response);
    expectRpcError(body, -32602);
    expect(body.id).toBe(8);
  });

  it("answers invalid tool arguments with an isError result, not a protocol error", async () => {
    const response = await post(server.url, rpc(9, "tools/call", { name: "add", arguments: { a: "two", b: 3 } }));
    expect(response.status).toBe(200);
    const body = await readSingle(response);
    expect(body.error).toBeUndefined();
    expect(body.result?.isError).toBe(true);
    const content = body.result?.content as Array<{ type: string; text: string }>;
    expect(content[0]?.type).toBe("text");
    expect(content[0]?.text).not.toBe("");
  });

  it("validates arguments against a plain JSON Schema input too (spec: servers MUST validate tool inputs)", async () => {
    const valid = await readSingle(
      await post(server.url, rpc(30, "tools/call", { name: "json_schema_2020_12_tool", arguments: { name: "Ada" } })),
    );
    expect(valid.result?.isError).toBeFalsy();
    // name must be a string, and additionalProperties is false.
    for (const [id, args] of [
      [31, { name: 5 }],
      [32, { name: "Ada", extra: true }],
    ] as const) {
      const response = await post(
        server.url,
        rpc(id, "tools/call", { name: "json_schema_2020_12_tool", arguments: args }),
      );
      expect(response.status).toBe(200);
      const body = await readSingle(response);
      expect(body.error).toBeUndefined();
      expect(body.result?.isError, JSON.stringify(args)).toBe(true);
    }
  });

  it("answers prompts/get of an unknown prompt with -32602 and resources/read of an unknown uri with -32002", async () => {
    const prompt = await readSingle(await post(server.url, rpc(10, "prompts/get", { name: "no_such_prompt" })));
    expectRpcError(prompt, -32602);
    const resource = await readSingle(
      await post(server.url, rpc(11, "resources/read", { uri: "test://nothing-here" })),
    );
    expectRpcError(resource, -32002);
  });

  it("refuses a 10 MiB body with 413 and keeps serving", async () => {
    const padding = "x".repeat(10 * 1024 * 1024);
    const response = await post(server.url, { jsonrpc: "2.0", id: 12, method: "ping", params: { padding } });
    expect(response.status).toBe(413);
    expectRpcError(await readSingle(response), -32000);

    const next = await post(server.url, rpc(13, "ping"));
    expect(next.status).toBe(200);
    expect(await readSingle(next)).toEqual({ jsonrpc: "2.0", id: 13, result: {} });
  });

  it("refuses Content-Type: text/plain with 415", async () => {
    const response = await post(server.url, rpc(14, "ping"), { "content-type": "text/plain" });
    expect(response.status).toBe(415);
    expectRpcError(await readSingle(response), -32000);
  });

  it("refuses Accept: text/html with 406", async () => {
    const response = await post(server.url, rpc(15, "ping"), { accept: "text/html" });
    expect(response.status).toBe(406);
    expectRpcError(await readSingle(response), -32000);
  });

  it("refuses Host: evil.example.com with 403 (DNS rebinding) and accepts the loopback host", async () => {
    const body = JSON.stringify(rpc(16, "initialize", INITIALIZE_PARAMS));
    const headers = { "content-type": "application/json", accept: JSON_AND_SSE };
    const evil = await rawPost(server.url, { ...headers, host: "evil.example.com" }, body);
    expect(evil.status).toBe(403);
    expectRpcError(JSON.parse(evil.body) as WireMessage, -32000);

    const port = new URL(server.url).port;
    const local = await rawPost(server.url, { ...headers, host: `localhost:${port}` }, body);
    expect(local.status).toBe(200);
  });

  it("refuses Origin: http://evil.example.com with 403 and accepts a loopback origin", async () => {
    const evil = await post(server.url, rpc(17, "ping"), { origin: "http://evil.example.com" });
    expect(evil.status).toBe(403);
    expectRpcError(await readSingle(evil), -32000);

    const port = new URL(server.url).port;
    const local = await post(server.url, rpc(18, "ping"), { origin: `http://localhost:${port}` });
    expect(local.status).toBe(200);
    expect(await readSingle(local)).toEqual({ jsonrpc: "2.0", id: 18, result: {} });
  });

  it("answers GET and DELETE with 405 and an Allow header", async () => {
    const get = await fetch(server.url, { method: "GET", headers: { accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expectRpcError(await readSingle(get), -32000);

    const del = await fetch(server.url, { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("POST");
    expectRpcError(await readSingle(del), -32000);
  });

  it("accepts a notification with 202 and an empty body", async () => {
    const response = await post(server.url, { jsonrpc: "2.0", method: "notifications/initialized" });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
  });

  it("answers a curl-style tools/call (Accept: application/json, no initialize) with plain JSON", async () => {
    const response = await post(server.url, rpc(19, "tools/call", { name: "add", arguments: { a: 40, b: 2 } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    const body = await readSingle(response);
    expect(body.id).toBe(19);
    expect(body.result).toMatchObject({ content: [{ type: "text", text: "42" }], structuredContent: { sum: 42 } });
  });

  it("answers a request with SSE when the client accepts it, carrying its progress before its result", async () => {
    const response = await post(
      server.url,
      rpc(20, "tools/call", {
        name: "test_tool_with_progress",
        arguments: {},
        _meta: { progressToken: "progress-test-1" },
      }),
      { accept: JSON_AND_SSE },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const messages = await readMessages(response);
    const progress = messages.filter((message) => message.method === "notifications/progress");
    expect(progress.map((message) => message.params)).toEqual([
      expect.objectContaining({ progressToken: "progress-test-1", progress: 0, total: 100 }),
      expect.objectContaining({ progressToken: "progress-test-1", progress: 50, total: 100 }),
      expect.objectContaining({ progressToken: "progress-test-1", progress: 100, total: 100 }),
    ]);
    const last = messages.at(-1);
    expect(last?.id).toBe(20);
    expect(last?.result?.isError).toBeFalsy();
  });

  it("refuses MCP-Protocol-Version: 1999-01-01 with 400", async () => {
    const response = await post(server.url, rpc(21, "ping"), { "mcp-protocol-version": "1999-01-01" });
    expect(response.status).toBe(400);
    expectRpcError(await readSingle(response), -32000);
  });

  it("accepts a batch of two pings at protocol 2025-03-26 and answers with an array", async () => {
    const response = await post(server.url, [rpc(22, "ping"), rpc(23, "ping")], {
      "mcp-protocol-version": "2025-03-26",
    });
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(Array.isArray(body)).toBe(true);
    const answers = (body as WireMessage[]).slice().sort((x, y) => Number(x.id) - Number(y.id));
    expect(answers).toEqual([
      { jsonrpc: "2.0", id: 22, result: {} },
      { jsonrpc: "2.0", id: 23, result: {} },
    ]);
  });

  it("refuses a batch at protocol 2025-06-18 with 400 and -32600", async () => {
    const response = await post(server.url, [rpc(24, "ping"), rpc(25, "ping")], {
      "mcp-protocol-version": "2025-06-18",
    });
    expect(response.status).toBe(400);
    expectRpcError(await readSingle(response), -32600);
  });

  it("negotiates the protocol version at initialize", async () => {
    const echoed = await readSingle(
      await post(server.url, rpc(26, "initialize", { ...INITIALIZE_PARAMS, protocolVersion: "2025-06-18" })),
    );
    expect(echoed.result).toMatchObject({
      protocolVersion: "2025-06-18",
      serverInfo: { name: "mcp-edge-example", version: "0.1.0" },
    });
    const unknown = await readSingle(
      await post(server.url, rpc(27, "initialize", { ...INITIALIZE_PARAMS, protocolVersion: "1999-01-01" })),
    );
    expect(unknown.result?.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
  });

  it("serves only the /mcp path", async () => {
    const response = await post(server.url.replace(/\/mcp$/, "/other"), rpc(28, "ping"));
    expect(response.status).toBe(404);
  });
});

describe("raw HTTP, MCP_MODE=auto", () => {
  let server: ExampleServer;

  beforeAll(async () => {
    server = await startExampleServer({ env: { MCP_MODE: "auto" } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("still answers curl-style requests (Accept: application/json) with plain JSON and no session", async () => {
    const response = await post(server.url, rpc(1, "tools/call", { name: "test_simple_text", arguments: {} }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    expect((await readSingle(response)).result).toEqual({
      content: [{ type: "text", text: "This is a simple text response for testing." }],
    });
  });

  it("gives a client that accepts SSE a session at initialize, and requires it afterwards", async () => {
    const init = await post(server.url, rpc(2, "initialize", INITIALIZE_PARAMS), { accept: JSON_AND_SSE });
    expect(init.status).toBe(200);
    const sessionId = init.headers.get("mcp-session-id");
    expect(sessionId).toMatch(/^[\x21-\x7e]{16,}$/);
    const [result] = await readMessages(init);
    expect(result?.result?.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);

    const headers = { accept: JSON_AND_SSE, "mcp-protocol-version": LATEST_PROTOCOL_VERSION };
    const withSession = await post(server.url, rpc(3, "ping"), { ...headers, "mcp-session-id": sessionId ?? "" });
    expect(withSession.status).toBe(200);
    expect(await readMessages(withSession)).toEqual([{ jsonrpc: "2.0", id: 3, result: {} }]);

    const missing = await post(server.url, rpc(4, "ping"), headers);
    expect(missing.status).toBe(400);
    expectRpcError(await readSingle(missing), -32000);

    const unknown = await post(server.url, rpc(5, "ping"), { ...headers, "mcp-session-id": "no-such-session" });
    expect(unknown.status).toBe(404);
    expectRpcError(await readSingle(unknown), -32001);
  });

  it("answers GET without a session with 405 and an Allow header listing GET, POST and DELETE", async () => {
    const response = await fetch(server.url, { method: "GET", headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST, DELETE");
    await response.body?.cancel();
  });
});
