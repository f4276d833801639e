// What a client may send: nesting depth, media type, batches and ids, each refused with a 4xx and a
// JSON-RPC error a client can act on.
import { describe, expect, it } from "vitest";
import { McpServer, type McpServerOptions } from "../src/index.js";
import { post } from "./helpers.js";

const JSON_ONLY = { accept: "application/json" };
const nestedText = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

function server(options: Partial<McpServerOptions> = {}) {
  const created = new McpServer({ name: "t", version: "1", onError: () => {}, ...options });
  created.tool("echo", { input: { type: "object" } }, (args) => ({
    content: [{ type: "text", text: JSON.stringify(args) }],
  }));
  return created;
}

/** An initialize whose capabilities nest `depth` levels in all (the message itself is level 1). */
function initializeNested(depth: number): string {
  // message(1) > params(2) > capabilities(3) > experimental(4) > x(5): arrays make up the rest.
  return `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","clientInfo":{"name":"c","version":"1"},"capabilities":{"experimental":{"x":${nestedText(depth - 4)}}}}}`;
}

describe("nesting depth", () => {
  for (const stateless of [true, false]) {
    it(`refuses ${stateless ? "a stateless" : "a stateful"} initialize nested 4,400 levels with 400 -32600`, async () => {
      const response = await post(server({ stateless }).fetch, initializeNested(4_400), JSON_ONLY);
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.code).toBe(-32600);
      expect(body.error.message).toContain("100");
    });
  }

  it("accepts exactly the limit and refuses one level more", async () => {
    const at = await post(server({ stateless: true }).fetch, initializeNested(100), JSON_ONLY);
    expect(at.status).toBe(200);
    const over = await post(server({ stateless: true }).fetch, initializeNested(101), JSON_ONLY);
    expect(over.status).toBe(400);
  });

  it("does not count brackets inside strings, escaped quotes included", async () => {
    const text = `${"[".repeat(500)}\\"${"{".repeat(500)}`;
    const response = await post(
      server({ stateless: true }).fetch,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text } } },
      JSON_ONLY,
    );
    expect(response.status).toBe(200);
    expect((await response.json()).result.content[0].text).toBe(JSON.stringify({ text }));
  });

  it("is configurable", async () => {
    const response = await post(server({ stateless: true, maxJsonDepth: 3 }).fetch, initializeNested(5), JSON_ONLY);
    expect(response.status).toBe(400);
  });
});

describe("Content-Type", () => {
  const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
  for (const type of [
    "application/json-patch+json",
    "application/jsonx",
    "application/json5",
    "text/json",
    "application/json; charset=latin1",
    "application/json;charset=utf-16",
  ]) {
    it(`refuses ${type} with 415`, async () => {
      const response = await post(server({ stateless: true }).fetch, ping, { ...JSON_ONLY, "content-type": type });
      expect(response.status).toBe(415);
    });
  }
  for (const type of [
    "application/json",
    "Application/JSON",
    "application/json; charset=utf-8",
    'application/json;charset="UTF-8"',
  ]) {
    it(`accepts ${type}`, async () => {
      const response = await post(server({ stateless: true }).fetch, ping, { ...JSON_ONLY, "content-type": type });
      expect(response.status).toBe(200);
    });
  }
});

describe("initialize inside a batch", () => {
  const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "c", version: "1" } },
  };
  it("is refused with 400 -32600 wherever it stands in the batch, stateless and stateful", async () => {
    const batch = [{ jsonrpc: "2.0", id: 0, method: "ping" }, initialize];
    const stateless = await post(server({ stateless: true }).fetch, batch, {
      ...JSON_ONLY,
      "mcp-protocol-version": "2025-03-26",
    });
    expect(stateless.status).toBe(400);
    expect((await stateless.json()).error.code).toBe(-32600);

    const stateful = server({ stateless: false });
    const opened = await post(stateful.fetch, initialize);
    const sessionId = opened.headers.get("mcp-session-id") ?? "";
    const inSession = await post(stateful.fetch, batch, {
      "mcp-session-id": sessionId,
      "mcp-protocol-version": "2025-03-26",
    });
    expect(inSession.status).toBe(400);
    expect((await inSession.json()).error.code).toBe(-32600);
  });
});

describe("request ids", () => {
  it("refuses integer ids beyond 2^53 - 1, which JSON parsing would change", async () => {
    for (const id of ["9007199254740993", "-9007199254740993", "9007199254740992", "1e300"]) {
      const response = await post(
        server({ stateless: true }).fetch,
        `{"jsonrpc":"2.0","id":${id},"method":"ping"}`,
        JSON_ONLY,
      );
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe(-32600);
    }
  });

  it("echoes the largest exact integers and string ids unchanged", async () => {
    for (const id of ["9007199254740991", "-9007199254740991", '"9007199254740993"']) {
      const response = await post(
        server({ stateless: true }).fetch,
        `{"jsonrpc":"2.0","id":${id},"method":"ping"}`,
        JSON_ONLY,
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`{"jsonrpc":"2.0","id":${id},"result":{}}`);
    }
  });
});

describe("a body that breaks off", () => {
  it("is answered 400, not 500", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"jsonrpc":"2.0",'));
        controller.error(new Error("connection reset"));
      },
    });
    const response = await server({ stateless: true }).fetch(
      new Request("http://localhost/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(-32700);
  });
});

describe("initialize params", () => {
  it("refuses capabilities or clientInfo that are not objects (arrays included) with 400 -32602", async () => {
    for (const params of [
      { protocolVersion: "2025-11-25", capabilities: [], clientInfo: { name: "c", version: "1" } },
      { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: [] },
      { protocolVersion: "2025-11-25", capabilities: "all", clientInfo: { name: "c", version: "1" } },
    ]) {
      const response = await post(server({ stateless: false }).fetch, {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("mcp-session-id")).toBeNull();
      expect((await response.json()).error.code).toBe(-32602);
    }
  });
});
