// Sessions in Upstash on Workers, inside real workerd (miniflare): the Worker talks to the local Upstash
// REST bridge over a real redis-server, and every request is its own workerd request, so one request
// reaching another's streams (a DELETE ending the session's GET stream, a notification for it, a POST
// stream resumed with Last-Event-ID) happens here exactly as on Cloudflare.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { initializeBody, MCP_POST_HEADERS, rpcBody, SseReader, type WireMessage } from "@mcp-edge/test-support/wire";
import { bundleWorker, MINIFLARE_COMPATIBILITY_DATE } from "@mcp-edge/test-support/workerd";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = "workerd-upstash-token";

let redis: RedisServer | undefined;
let bridge: UpstashBridge | undefined;
let dir: string | undefined;
let mf: Miniflare | undefined;
/** Everything workerd printed (the Worker's console and the runtime's own errors). */
let runtimeLog = "";

function capture(stream: Readable): void {
  stream.on("data", (chunk: Buffer) => {
    runtimeLog += chunk.toString();
  });
}

beforeAll(async () => {
  redis = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: redis.url, token: TOKEN });
  dir = await mkdtemp(join(tmpdir(), "mcp-edge-cf-upstash-"));
  await bundleWorker(join(here, "worker.ts"), join(dir, "worker.js"));
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "worker.js"),
    modulesRoot: dir,
    // workerd 1.20260426 (the newest that runs on Node 20) refuses later dates.
    compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
    bindings: { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: TOKEN },
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      capture(stdout);
      capture(stderr);
    },
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
  await bridge?.close();
  await redis?.stop();
});

function send(body: string | undefined, headers: Record<string, string>, method = "POST"): Promise<Response> {
  if (!mf) throw new Error("miniflare did not start");
  return mf.dispatchFetch("http://localhost/mcp", { method, headers, body }) as unknown as Promise<Response>;
}

async function initialize(): Promise<string> {
  const init = await send(initializeBody(), MCP_POST_HEADERS);
  expect(init.status).toBe(200);
  const sessionId = init.headers.get("mcp-session-id");
  if (!sessionId) throw new Error("initialize minted no session");
  await init.text();
  const initialized = await send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), {
    ...MCP_POST_HEADERS,
    "mcp-session-id": sessionId,
  });
  expect(initialized.status).toBe(202);
  await initialized.text();
  return sessionId;
}

async function openGet(sessionId: string): Promise<SseReader<WireMessage>> {
  const get = await send(undefined, { accept: "text/event-stream", "mcp-session-id": sessionId }, "GET");
  expect(get.status).toBe(200);
  return new SseReader<WireMessage>(get, { endOnError: true });
}

const CROSS_REQUEST = /Cannot perform I\/O on behalf of a different request/;

/** How many subscriptions Redis holds for a channel of the Worker's (default prefix `mcp:`), asked through the bridge. */
async function subscribers(channel: string): Promise<number> {
  if (!bridge) throw new Error("the bridge is not running");
  const response = await fetch(bridge.url, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(["PUBSUB", "NUMSUB", `mcp:${channel}`]),
  });
  const { result } = (await response.json()) as { result: [string, number] };
  return result[1];
}

describe("sessions in Upstash, inside workerd", () => {
  it("delivers a notification raised by a POST on the session's GET stream", async () => {
    const sessionId = await initialize();
    const get = await openGet(sessionId);
    const call = await send(rpcBody(2, "tools/call", { name: "notify_session", arguments: {} }), {
      ...MCP_POST_HEADERS,
      "mcp-session-id": sessionId,
    });
    expect(call.status).toBe(200);
    await call.text();
    const events = await get.until((event) => event.message?.method === "notifications/message", "the notification");
    expect(events.at(-1)?.message?.params).toMatchObject({ data: "for the GET stream" });
    await get.cancel();
    expect(runtimeLog).not.toMatch(CROSS_REQUEST);
  });

  it("ends the GET stream when the session is deleted, with no cross-request I/O", async () => {
    const sessionId = await initialize();
    const get = await openGet(sessionId);
    // The GET stream holds the session's channel (one subscription stream to Upstash, opened by the GET).
    await vi.waitFor(async () => expect(await subscribers(`session:${sessionId}`)).toBe(1));
    const deleted = await send(undefined, { "mcp-session-id": sessionId }, "DELETE");
    expect(deleted.status).toBe(200);
    await deleted.text();
    // The stream ends, and the GET's own request lets go of its subscription.
    expect(await get.rest()).toEqual([]);
    await vi.waitFor(async () => expect(await subscribers(`session:${sessionId}`)).toBe(0));
    const after = await send(rpcBody(3, "ping"), { ...MCP_POST_HEADERS, "mcp-session-id": sessionId });
    expect(after.status).toBe(404);
    await after.text();
    expect(runtimeLog).not.toMatch(CROSS_REQUEST);
  });

  it("delivers the result on a POST stream resumed with Last-Event-ID", async () => {
    const sessionId = await initialize();
    const headers = { ...MCP_POST_HEADERS, "mcp-session-id": sessionId };
    const call = await send(rpcBody(4, "tools/call", { name: "drop_and_finish", arguments: {} }), headers);
    expect(call.status).toBe(200);
    const first = await new SseReader<WireMessage>(call, { endOnError: true }).rest();
    const lastEventId = first.filter((event) => event.id !== undefined).at(-1)?.id;
    expect(lastEventId).toBeDefined();
    expect(first.some((event) => event.message?.id === 4)).toBe(false);
    const resumed = await send(
      undefined,
      { accept: "text/event-stream", "mcp-session-id": sessionId, "last-event-id": lastEventId ?? "" },
      "GET",
    );
    expect(resumed.status).toBe(200);
    // The resumed stream is attached: only now does the tool go on, in the POST's request.
    const release = await send(rpcBody(5, "tools/call", { name: "release_drop", arguments: {} }), headers);
    expect(release.status).toBe(200);
    await release.text();
    const rest = await new SseReader<WireMessage>(resumed, { endOnError: true }).rest();
    expect(rest.some((event) => event.message?.params?.data === "after the drop")).toBe(true);
    const result = rest.find((event) => event.message?.id === 4);
    expect(result?.message?.result?.content?.[0]?.text).toBe("finished after the drop");
    expect(runtimeLog).not.toMatch(CROSS_REQUEST);
  });
});
