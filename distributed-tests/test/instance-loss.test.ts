/**
 * Losing the instance that holds a client's GET stream, and reconnecting after a gap: two real example
 * server processes behind the round-robin proxy, for each backend. Notifications are raised on B (tool
 * list changes broadcast to every session, resource updates to the subscribed session, and a
 * server-to-client request addressed to the client's session alone) while the client's GET stream on A is
 * cut: by SIGKILL to A, or by the client going away for a second. The client resumes through the proxy
 * with `Last-Event-ID` and must receive each message exactly once, in the order raised.
 *
 * Once A is killed the proxy takes it out of rotation, as a load balancer's health check would.
 */

import type { ExampleServer } from "@mcp-edge/test-support";
import { UPSTREAM_HEADER } from "@mcp-edge/test-support";
import { ListRootsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../src/backends.js";
import { type Deployment, startDeployment } from "../src/deployment.js";
import { label, Raiser, subscribeAll, watchedUris } from "../src/raise.js";
import { Received } from "../src/received.js";
import { landNextOn } from "../src/rotation.js";
import { connectSdk, Inbox, type SdkClient } from "../src/sdk.js";
import { sleep } from "../src/sleep.js";
import { openGet, openSession, post, readResponse, rpc, SseReader, type WireMessage } from "../src/wire.js";

const ROOTS = [{ uri: "file:///work/instance-loss", name: "instance-loss" }];
/** Generous: these tests wait for conditions (a reconnect, a replay), never for a fixed time. */
const TIMEOUT_MS = 120_000;

describe.each(BACKENDS)("instance loss over $name", (backend) => {
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
    d = await startDeployment(backend, { label });
    const [A, B] = d.instances;
    if (!A || !B) throw new Error("two instances expected");
    return { d, A, B };
  }

  function reader(response: Response): SseReader {
    const r = new SseReader(response);
    readers.push(r);
    return r;
  }

  /** SIGKILL, then out of the proxy's rotation. */
  async function kill(deployment: Deployment, instance: ExampleServer): Promise<void> {
    await instance.kill();
    expect(instance.exit()?.signal).toBe("SIGKILL");
    deployment.proxy.setHealthy(instance.origin, false);
  }

  /** A GET through the proxy, checked to have landed on `on`. */
  async function getThroughProxy(
    deployment: Deployment,
    sessionId: string,
    on: ExampleServer,
    lastEventId?: string,
  ): Promise<SseReader> {
    const response = await openGet(deployment.url, sessionId, lastEventId);
    expect(response.headers.get(UPSTREAM_HEADER)).toBe(on.origin);
    expect(response.status).toBe(200);
    return reader(response);
  }

  /** `list_roots` for `sessionId` on `on`, answerable only over the session's GET stream (JSON-only POST). */
  function listRootsOn(on: ExampleServer, sessionId: string): Promise<WireMessage> {
    const call = rpc("tools/call", { name: "list_roots", arguments: {} });
    return post(on.url, sessionId, call, { accept: "application/json" }).then((response) =>
      readResponse(response, call.id ?? undefined),
    );
  }

  it(
    "raw client: A is killed under its GET stream; everything raised on B meanwhile is replayed on B exactly once, in order",
    async () => {
      const { d, A, B } = await deploy("loss-raw");
      const operator = new Raiser(B.url, await openSession(B.url));
      const uris = watchedUris("loss-raw", 8);
      const sessionId = await openSession(d.url, { capabilities: { roots: {} } });
      await subscribeAll(d.url, sessionId, uris);
      await landNextOn(d.proxy, A.origin);
      const first = await getThroughProxy(d, sessionId, A);
      const received = new Received();

      // Live on A: raised on B, delivered across instances.
      for (let i = 0; i < 4; i++) await operator.nth(i, uris);
      await received.readUntilLabel(first, `updated ${uris[1]}`);

      await kill(d, A);
      await received.readToEnd(first); // cut off with A

      // Raised while the client has no stream anywhere: broadcasts and a request for this session alone
      // (B cannot answer list_roots until the client replies to roots/list, which it can only read later).
      for (let i = 4; i < 12; i++) await operator.nth(i, uris);
      const roots = listRootsOn(B, sessionId);

      const resumed = await getThroughProxy(d, sessionId, B, received.lastEventId);
      await received.readUntilLabel(resumed, "roots/list");
      const request = received.events.find((e) => e.message?.method === "roots/list")?.message;
      const reply = await post(d.url, sessionId, { jsonrpc: "2.0", id: request?.id, result: { roots: ROOTS } });
      expect(reply.status).toBe(202);
      await reply.body?.cancel();
      const answer = await roots;
      expect(answer.result?.structuredContent).toEqual({ roots: ROOTS });

      // Live again, on B.
      for (let i = 12; i < 16; i++) await operator.nth(i, uris);
      await received.readUntilLabel(resumed, `updated ${uris[7]}`);

      const raised = operator.raised;
      expect(received.labels()).toEqual([...raised.slice(0, 12), "roots/list", ...raised.slice(12)]);
      expect(received.repeatedIds()).toEqual([]);
      expect(B.alive()).toBe(true);
      expect(B.stderr()).not.toMatch(/unhandled|uncaught/i);
    },
    TIMEOUT_MS,
  );

  it(
    "SDK client: A is killed while B raises notifications; the SDK resumes through the proxy and gets each exactly once, in order",
    async () => {
      const { d, A, B } = await deploy("loss-sdk");
      const operator = new Raiser(B.url, await openSession(B.url));
      const uris = watchedUris("loss-sdk", 12);
      // Notifications and roots/list requests in one sequence, as the client received them.
      const arrived = new Inbox<string>();
      await landNextOn(d.proxy, A.origin);
      // initialize lands on A, notifications/initialized on B, the GET stream on A.
      const sdk = await connectSdk(() => d.url, {
        capabilities: { roots: {} },
        // A reconnect delay long enough that raises fall into the gap; retries enough to ride out the loss.
        reconnection: { initialReconnectionDelay: 1_000, maxReconnectionDelay: 1_000, maxRetries: 30 },
        setup: (client) => {
          const notified = client.fallbackNotificationHandler;
          client.fallbackNotificationHandler = async (notification) => {
            arrived.push(label(notification));
            await notified?.(notification);
          };
          client.setRequestHandler(ListRootsRequestSchema, async () => {
            arrived.push("roots/list");
            return { roots: ROOTS };
          });
        },
      });
      clients.push(sdk);
      const sessionId = sdk.transport.sessionId ?? "";
      const opened = await sdk.answered.waitFor((r) => r.method === "GET" && r.status === 200);
      expect(opened.upstream).toBe(A.origin);
      for (const uri of uris) await sdk.client.subscribeResource({ uri });

      for (let i = 0; i < 4; i++) await operator.nth(i, uris);
      await arrived.waitFor((name) => name === `updated ${uris[1]}`);

      // B keeps raising; A dies between two raises; the request for this session alone is raised in the gap.
      let killed: Promise<void> | undefined;
      let roots: Promise<WireMessage> | undefined;
      let rootsAfter = 0;
      for (let i = 4; i < 22; i++) {
        if (i === 6) killed = kill(d, A);
        if (i === 8) {
          await killed;
          rootsAfter = operator.raised.length;
          roots = listRootsOn(B, sessionId);
        }
        await operator.nth(i, uris);
        await sleep(50);
      }
      await killed;
      const answer = await roots;
      expect(answer?.result?.structuredContent).toEqual({ roots: ROOTS });
      const marker = await operator.resourceUpdated(uris[11] ?? "");
      await arrived.waitFor((name) => name === marker);

      const names = arrived.items;
      expect(names.filter((name) => name !== "roots/list")).toEqual(operator.raised);
      expect(names.filter((name) => name === "roots/list")).toHaveLength(1);
      // Raised after every broadcast that was answered before it, so delivered after them.
      expect(names.indexOf("roots/list")).toBeGreaterThanOrEqual(rootsAfter);

      // The SDK resumed with Last-Event-ID through the proxy, on B, in the same session.
      const resumed = sdk.answered.items.filter((r) => r.method === "GET" && r.lastEventId !== undefined);
      expect(resumed.some((r) => r.status === 200 && r.upstream === B.origin)).toBe(true);
      expect(sdk.transport.sessionId).toBe(sessionId);
      expect(B.alive()).toBe(true);
      expect(B.stderr()).not.toMatch(/unhandled|uncaught/i);
    },
    TIMEOUT_MS,
  );

  it(
    "a client away for about a second while B raises 60 notifications every 50 ms gets all 60 exactly once, in order",
    async () => {
      const { d, A, B } = await deploy("gap");
      const operator = new Raiser(B.url, await openSession(B.url));
      const uris = watchedUris("gap", 31);
      const end = uris[30] ?? "";
      const sessionId = await openSession(d.url);
      await subscribeAll(d.url, sessionId, uris);
      await landNextOn(d.proxy, A.origin);
      const first = await getThroughProxy(d, sessionId, A);
      const received = new Received();

      const raising = (async () => {
        for (let i = 0; i < 60; i++) {
          await operator.nth(i, uris);
          await sleep(50);
        }
        // A marker after the 60: once it arrives, nothing raised before it can still be on its way.
        await operator.resourceUpdated(end);
      })();
      // Observed at once: should an assertion below fail first, a failed raise is reported with it, not as
      // an unhandled rejection.
      const raised = raising.then(
        () => undefined,
        (error: unknown) => error,
      );

      await received.readUntil(first, (r) => r.events.length >= 10, "10 notifications");
      await first.cancel();
      const awayFrom = operator.raised.length;
      await sleep(1_000);
      const awayUntil = operator.raised.length;
      // Wherever the proxy sends it (both instances are up).
      const response = await openGet(d.url, sessionId, received.lastEventId);
      if (response.status !== 200) {
        const why = `${response.headers.get(UPSTREAM_HEADER)} answered ${response.status}: ${await response.text()}`;
        expect.fail(`${why}\nraising: ${String(await raised)}\nA: ${A.stderr()}\nB: ${B.stderr()}`);
      }
      const resumed = reader(response);
      await received.readUntilLabel(resumed, `updated ${end}`);
      expect(await raised).toBeUndefined();

      // Notifications were raised while the client was away (else this test proved nothing).
      expect(awayUntil - awayFrom).toBeGreaterThan(0);
      expect(received.labels()).toEqual(operator.raised);
      expect(received.labels().slice(0, -1)).toHaveLength(60);
      expect(received.repeatedIds()).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
