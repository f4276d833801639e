/**
 * The Workers entry's `MCP_SESSIONS_MODE`: stateless when unset, and a wrong setting answered with what
 * to fix on every request instead of an exception. The modes themselves run in workerd under
 * `wrangler dev` (conformance/workers-sessions.test.ts, runtime-tests/wrangler-config.test.ts).
 */
import { describe, expect, it } from "vitest";
import worker, { type Env, sessionsMode } from "../src/worker.js";

const CONTEXT = { waitUntil: () => {}, passThroughOnException: () => {} };

function ping(env: Env): Promise<Response> {
  return worker.fetch(
    new Request("http://127.0.0.1/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    }),
    env,
    CONTEXT,
  );
}

describe("MCP_SESSIONS_MODE", () => {
  it("is stateless when unset or blank, and reads the three modes in any case", () => {
    expect(sessionsMode({})).toBe("stateless");
    expect(sessionsMode({ MCP_SESSIONS_MODE: " " })).toBe("stateless");
    expect(sessionsMode({ MCP_SESSIONS_MODE: "Durable-Objects" })).toBe("durable-objects");
    expect(sessionsMode({ MCP_SESSIONS_MODE: "upstash" })).toBe("upstash");
  });

  it("answers every request with what to fix when the mode is unknown", async () => {
    const response = await ping({ MCP_SESSIONS_MODE: "redis" });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: {
        code: -32603,
        message: 'MCP_SESSIONS_MODE must be one of stateless, durable-objects, upstash; got "redis"',
      },
    });
  });

  it("names the missing bindings of the upstash and durable-objects modes", async () => {
    const upstash = await ping({ MCP_SESSIONS_MODE: "upstash" });
    expect(upstash.status).toBe(500);
    expect(((await upstash.json()) as { error: { message: string } }).error.message).toMatch(
      /UPSTASH_REDIS_REST_URL .*UPSTASH_REDIS_REST_TOKEN/,
    );
    const durable = await ping({ MCP_SESSIONS_MODE: "durable-objects" });
    expect(durable.status).toBe(500);
    expect(((await durable.json()) as { error: { message: string } }).error.message).toMatch(/MCP_SESSIONS/);
  });

  it("serves statelessly with no bindings", async () => {
    const response = await ping({});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ jsonrpc: "2.0", id: 1, result: {} });
  });
});
