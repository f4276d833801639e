/**
 * The Web Fetch entry (`src/worker.ts`, what Workers, Deno and Bun load): its default export answers MCP
 * through `fetch(request, env, ctx)`, with no Node adapter in between.
 */
import { describe, expect, it } from "vitest";
import worker from "../src/worker.js";
import { readSingle, rpc } from "./harness.js";

const ENDPOINT = "http://127.0.0.1/mcp";
// What workerd passes besides the request: no bindings, and an execution context this test never uses.
const NO_BINDINGS = {};
const CONTEXT = { waitUntil: () => {}, passThroughOnException: () => {} };

function call(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return worker.fetch(
    new Request(ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body: JSON.stringify(body),
    }),
    NO_BINDINGS,
    CONTEXT,
  );
}

describe("worker entry", () => {
  it("is stateless: initialize mints no session and GET answers 405", async () => {
    const init = await call(
      rpc(1, "initialize", {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "worker-test", version: "1.0.0" },
      }),
      { accept: "application/json" },
    );
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toBeNull();
    expect((await readSingle(init)).result).toMatchObject({
      protocolVersion: "2025-11-25",
      serverInfo: { name: "mcp-edge-example", version: "0.1.0" },
    });
    const get = await worker.fetch(
      new Request(ENDPOINT, { headers: { accept: "text/event-stream" } }),
      NO_BINDINGS,
      CONTEXT,
    );
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("calls a tool with plain JSON", async () => {
    const response = await call(rpc(2, "tools/call", { name: "add", arguments: { a: 1, b: 2 } }), {
      accept: "application/json",
    });
    expect(response.status).toBe(200);
    expect((await readSingle(response)).result).toMatchObject({ structuredContent: { sum: 3 } });
  });
});
