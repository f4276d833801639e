/**
 * A tool call in flight on an instance that dies: its POST answer streams (SSE) from A, A is SIGKILLed,
 * and the client resumes with GET + `Last-Event-ID` through the round-robin proxy, landing on B. The
 * request can no longer complete anywhere, so the resumed stream replays what A stored, then carries a
 * JSON-RPC error for that request id (the client may retry) and ends. Never a stream left open forever.
 *
 * Two real example server processes per backend; once A is killed the proxy takes it out of rotation,
 * as a load balancer's health check would. The slow call is the example's `countdown` (a log line and a
 * progress notification per step, a pause between steps).
 */

import type { ExampleServer } from "@mcp-edge/test-support";
import { UPSTREAM_HEADER } from "@mcp-edge/test-support";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../src/backends.js";
import { type Deployment, startDeployment } from "../src/deployment.js";
import { Received } from "../src/received.js";
import { landNextOn } from "../src/rotation.js";
import { connectSdk, type SdkClient } from "../src/sdk.js";
import { openGet, openSession, post, rpc, SseReader, type WireMessage } from "../src/wire.js";

/** Generous: the resumed stream ends once B has found the request dead, however long this machine takes. */
const TIMEOUT_MS = 120_000;
/**
 * Short, so a dead request is found out soon: its instance heartbeats every 200 ms while no connection
 * carries its stream, and a resumed stream that hears nothing for 2 s gives up on it.
 */
const HEARTBEAT = { MCP_REQUEST_HEARTBEAT_INTERVAL_MS: "200", MCP_REQUEST_HEARTBEAT_TIMEOUT_MS: "2000" };
/** Ten steps a second apart: still running when A is killed after the first two. */
const SLOW = { from: 10, intervalMs: 1_000 };

describe.each(BACKENDS)("a call in flight on an instance that dies, over $name", (backend) => {
  let d: Deployment | undefined;
  const readers: SseReader[] = [];
  const clients: SdkClient[] = [];

  afterEach(async () => {
    for (const reader of readers.splice(0)) await reader.cancel();
    for (const sdk of clients.splice(0)) await sdk.client.close().catch(() => {});
    const stopping = d;
    d = undefined;
    await stopping?.stop();
  });

  async function deploy(label: string): Promise<{ d: Deployment; A: ExampleServer; B: ExampleServer }> {
    d = await startDeployment(backend, { label, env: HEARTBEAT });
    const [A, B] = d.instances;
    if (!A || !B) throw new Error("two instances expected");
    return { d, A, B };
  }

  function reader(response: Response): SseReader {
    const r = new SseReader(response);
    readers.push(r);
    return r;
  }

  async function kill(deployment: Deployment, instance: ExampleServer): Promise<void> {
    await instance.kill();
    expect(instance.exit()?.signal).toBe("SIGKILL");
    deployment.proxy.setHealthy(instance.origin, false);
  }

  /** A resumption through the proxy (it lands on B), read to its end. */
  async function resume(deployment: Deployment, B: ExampleServer, sessionId: string, lastEventId: string | undefined) {
    const response = await openGet(deployment.url, sessionId, lastEventId);
    expect(response.headers.get(UPSTREAM_HEADER)).toBe(B.origin);
    expect(response.status).toBe(200);
    const received = new Received();
    await received.readToEnd(reader(response));
    return received;
  }

  /** The countdown's messages in the order it sends them: per step a log line, then progress. */
  function expectCountdownPrefix(messages: (WireMessage | undefined)[]): void {
    messages.forEach((message, i) => {
      const step = i >> 1;
      if (i % 2 === 0) {
        expect(message).toMatchObject({ method: "notifications/message", params: { data: `${SLOW.from - step}...` } });
      } else {
        expect(message).toMatchObject({ method: "notifications/progress", params: { progress: step } });
      }
    });
  }

  it(
    "raw client: the resumed stream replays what A stored, then a JSON-RPC error for the request id, then ends",
    async () => {
      const { d, A, B } = await deploy("inflight-raw");
      const sessionId = await openSession(d.url);
      await landNextOn(d.proxy, A.origin);
      const call = rpc("tools/call", { name: "countdown", arguments: SLOW, _meta: { progressToken: "inflight" } });
      const response = await post(d.url, sessionId, call);
      expect(response.headers.get(UPSTREAM_HEADER)).toBe(A.origin);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const live = reader(response);
      const seen = new Received();
      // The priming event (an id, no data), then two steps' log and progress.
      await seen.readUntil(live, (r) => r.events.length >= 4, "two countdown steps");
      const primingId = live.events[0]?.message === undefined ? live.events[0]?.id : undefined;
      expect(primingId).toBeTruthy();

      await kill(d, A);
      await seen.readToEnd(live);
      expect(seen.events.some((e) => e.message?.id === call.id)).toBe(false); // A never answered

      // From where the client got to: what A stored after it (if anything), then the error, then the end.
      const rest = await resume(d, B, sessionId, seen.lastEventId);
      const answer = rest.events.at(-1)?.message;
      expect(answer?.id).toBe(call.id);
      expect(answer?.result).toBeUndefined();
      expect(answer?.error).toEqual(expect.objectContaining({ code: expect.any(Number), message: expect.any(String) }));
      const stepsAfter = rest.events.slice(0, -1);
      const seenIds = new Set(seen.events.map((e) => e.id));
      expect(stepsAfter.filter((e) => seenIds.has(e.id))).toEqual([]); // nothing delivered twice
      expectCountdownPrefix([...seen.events, ...stepsAfter].map((e) => e.message));

      // From the priming event: every event A stored, in order, then the error for the same request, then the end.
      const all = await resume(d, B, sessionId, primingId);
      const replayed = all.events.slice(0, -1);
      expect(replayed.map((e) => e.id).slice(0, seen.events.length)).toEqual(seen.events.map((e) => e.id));
      expectCountdownPrefix(replayed.map((e) => e.message));
      expect(all.events.at(-1)?.message).toMatchObject({ id: call.id, error: { code: expect.any(Number) } });
      expect(all.repeatedIds()).toEqual([]);

      expect(B.alive()).toBe(true);
      expect(B.stderr()).not.toMatch(/unhandled|uncaught/i);
    },
    TIMEOUT_MS,
  );

  it(
    "SDK client: its resumption through the proxy ends the call with an error it can retry on",
    async () => {
      const { d, A, B } = await deploy("inflight-sdk");
      const sdk = await connectSdk(() => d.url, {
        reconnection: { initialReconnectionDelay: 100, maxReconnectionDelay: 1_000, maxRetries: 10 },
      });
      clients.push(sdk);
      // The SDK's own GET stream first (wherever it lands), so the next request is the call alone.
      await sdk.answered.waitFor((r) => r.method === "GET" && r.status === 200);
      await landNextOn(d.proxy, A.origin);

      let killed: Promise<void> | undefined;
      const outcome = await sdk.client
        .callTool({ name: "countdown", arguments: SLOW }, undefined, {
          timeout: TIMEOUT_MS,
          onprogress: ({ progress }) => {
            if (progress >= 1) killed ??= kill(d, A);
          },
        })
        .then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
      await killed;

      expect(outcome).toHaveProperty("error");
      const error = (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).message).not.toMatch(/timed out/i); // the server ended it, not the SDK's timer

      const call = sdk.answered.items.find((r) => r.rpcMethod === "tools/call");
      expect(call?.upstream).toBe(A.origin);
      const resumed = sdk.answered.items.filter((r) => r.method === "GET" && r.lastEventId !== undefined);
      expect(resumed.some((r) => r.status === 200 && r.upstream === B.origin)).toBe(true);

      // The same session carries on: a retry on B succeeds.
      const retried = await sdk.client.callTool({ name: "countdown", arguments: { from: 1, intervalMs: 0 } });
      expect(JSON.stringify(retried.content)).toContain("liftoff");
      expect(B.alive()).toBe(true);
      expect(B.stderr()).not.toMatch(/unhandled|uncaught/i);
    },
    TIMEOUT_MS,
  );
});
