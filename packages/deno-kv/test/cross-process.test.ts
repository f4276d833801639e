// Two `deno serve` processes of the example, sharing one file-backed Deno KV database, behind a
// round-robin proxy: a session opened through one is served by the other, and a notification raised
// on one reaches the GET stream held by the other. Requests are steered only by the proxy's strict
// rotation, which the test reads (it never talks to an instance directly).
import { type RoundRobinProxy, startRoundRobinProxy } from "@mcp-edge/test-support";
import {
  initializeBody,
  JSON_AND_SSE,
  MCP_POST_HEADERS,
  PROTOCOL_VERSION,
  rpcBody,
  SseReader,
  type WireMessage,
} from "@mcp-edge/test-support/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleDenoExample, type DenoServer, type ExampleBundle, startDenoServe } from "./serve-example.js";

let bundle: ExampleBundle | undefined;
const servers: DenoServer[] = [];
let proxy: RoundRobinProxy | undefined;

beforeAll(async () => {
  bundle = await bundleDenoExample();
  const kvPath = `${bundle.dir}/shared.sqlite`;
  for (const instance of ["deno-a", "deno-b"]) {
    const server = await startDenoServe(bundle, {
      MCP_STORE: "deno-kv",
      MCP_DENO_KV_PATH: kvPath,
      MCP_DENO_KV_POLL_MS: "50",
      MCP_INSTANCE_ID: instance,
    });
    servers.push(server);
  }
  proxy = await startRoundRobinProxy(servers.map((server) => server.origin));
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all(servers.map((server) => server.stop()));
  await bundle?.remove();
});

function running(): RoundRobinProxy {
  if (!proxy) throw new Error("the proxy did not start");
  return proxy;
}

async function post(body: string, sessionId?: string): Promise<Response> {
  const headers: Record<string, string> = { ...MCP_POST_HEADERS };
  if (sessionId) headers["mcp-session-id"] = sessionId;
  return fetch(`${running().url}/mcp`, { method: "POST", headers, body });
}

/** The JSON-RPC answer of a POST, whether it came as JSON or as an SSE stream. */
async function answer(response: Response): Promise<WireMessage> {
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const reader = new SseReader<WireMessage>(response);
    for (let message = await reader.nextData(); message; message = await reader.nextData()) {
      if ("result" in message || "error" in message) {
        await reader.cancel();
        return message;
      }
    }
    throw new Error("the stream ended without an answer");
  }
  return (await response.json()) as WireMessage;
}

async function openSession(): Promise<string> {
  const response = await post(initializeBody());
  expect(response.status).toBe(200);
  const sessionId = response.headers.get("mcp-session-id");
  await answer(response);
  if (!sessionId) throw new Error("no session id");
  const initialized = await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), sessionId);
  expect(initialized.status).toBe(202);
  return sessionId;
}

let nextId = 1;
async function whoami(sessionId: string): Promise<{ instanceId: string; sessionId: string | null }> {
  const message = await answer(
    await post(rpcBody(nextId++, "tools/call", { name: "whoami", arguments: {} }), sessionId),
  );
  return message.result?.structuredContent as { instanceId: string; sessionId: string | null };
}

/** Sends pings until the proxy's next request goes to an instance other than `origin`. */
async function steerAwayFrom(origin: string, sessionId: string): Promise<void> {
  while (running().nextTarget === origin) {
    const response = await post(rpcBody(nextId++, "ping"), sessionId);
    expect(response.status).toBe(200);
    await answer(response);
  }
}

describe("two deno serve processes sharing one Deno KV file, behind a round-robin proxy", () => {
  it("serves a session opened on one instance from the other", async () => {
    const sessionId = await openSession();
    const seen = new Map<string, string | null>();
    for (let n = 0; n < 4; n++) {
      const who = await whoami(sessionId);
      seen.set(who.instanceId, who.sessionId);
    }
    expect([...seen.keys()].sort()).toEqual(["deno-a", "deno-b"]);
    expect([...seen.values()]).toEqual([sessionId, sessionId]);
    // Ending it on one instance ends it everywhere.
    const ended = await fetch(`${running().url}/mcp`, {
      method: "DELETE",
      headers: { "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL_VERSION },
    });
    expect(ended.status).toBe(200);
    for (let n = 0; n < 2; n++) expect((await post(rpcBody(nextId++, "ping"), sessionId)).status).toBe(404);
  });

  it("delivers a notification raised on one instance to the GET stream held by the other", async () => {
    const sessionId = await openSession();
    const streamOrigin = running().nextTarget ?? "";
    const get = await fetch(`${running().url}/mcp`, {
      headers: { accept: JSON_AND_SSE, "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL_VERSION },
    });
    expect(get.status).toBe(200);
    const stream = new SseReader<WireMessage>(get);
    try {
      await steerAwayFrom(streamOrigin, sessionId);
      const raisedOn = running().nextTarget;
      expect(raisedOn).not.toBe(streamOrigin);
      const toggled = await answer(
        await post(rpcBody(nextId++, "tools/call", { name: "toggle_demo_tool", arguments: {} }), sessionId),
      );
      expect(toggled.result?.isError).not.toBe(true);
      const events = await stream.until(
        (event) => (event.message as WireMessage | undefined)?.method === "notifications/tools/list_changed",
        "notifications/tools/list_changed",
      );
      expect(events.at(-1)?.id).toBeTruthy();
    } finally {
      await stream.cancel().catch(() => {});
    }
  });
});
