/**
 * The store goes away under load: two instances behind the round-robin proxy, a steady stream of requests
 * from raw clients and an SDK client, and redis-server is killed. Every request that needs the store gets
 * HTTP 503 with the JSON-RPC error saying the session store is unavailable; no server process dies or logs
 * an unhandled failure; when redis-server is back (same address, its data intact, as a persistent Redis
 * keeps it) the same servers serve the same sessions again, without being restarted.
 *
 * Bounded by counts, not by time: each phase sends a fixed number of requests; the recovery phase polls
 * until each instance answers again (the clients' reconnect backoff is at most 2 s) and then sends its batch.
 */

import { UPSTREAM_HEADER } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../src/backends.js";
import { type Deployment, startDeployment } from "../src/deployment.js";
import { connectSdk, type SdkClient } from "../src/sdk.js";
import {
  BOTH,
  deleteSession,
  openGet,
  openSession,
  PROTOCOL_VERSION,
  post,
  rpc,
  SseReader,
  type WireMessage,
} from "../src/wire.js";

const STORE_UNAVAILABLE = -32003;
const CONCURRENCY = 10;

type Kind = "call" | "initialize" | "get";

interface Outcome {
  kind: Kind;
  /** The instance that answered (the proxy says which). */
  upstream: string;
  status: number;
  /** "ok": served; "unavailable": the store-unavailable answer; anything else fails the test. */
  verdict: "ok" | "unavailable" | "other";
  detail: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BACKENDS)("store failure over $name: redis-server stops under load and comes back", (backend) => {
  let d: Deployment;
  let sessions: string[] = [];
  let sdk: SdkClient | undefined;

  beforeAll(async () => {
    d = await startDeployment(backend, { label: "failure", persistent: true });
  });

  afterAll(async () => {
    await sdk?.client.close();
    await d?.stop();
  });

  /** One request of `kind` through the proxy, classified. */
  async function send(kind: Kind, i: number): Promise<Outcome> {
    let response: Response;
    if (kind === "call") {
      const sessionId = sessions[i % sessions.length];
      response = await post(d.url, sessionId, rpc("tools/call", { name: "echo", arguments: { text: `n${i}` } }));
    } else if (kind === "initialize") {
      response = await post(
        d.url,
        undefined,
        rpc("initialize", {
          protocolVersion: PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: { name: "load", version: "1.0.0" },
        }),
      );
    } else {
      // Not sessions[0]: its GET stream is held on A throughout.
      response = await openGet(d.url, sessions[1 + (i % (sessions.length - 1))] ?? "");
    }
    const upstream = response.headers.get(UPSTREAM_HEADER) ?? "";
    const type = response.headers.get("content-type") ?? "";
    if (type.startsWith("text/event-stream")) {
      // A GET stream that opened (before the instance noticed the outage): close it again.
      await response.body?.cancel();
      return {
        kind,
        upstream,
        status: response.status,
        verdict: response.status === 200 ? "ok" : "other",
        detail: "sse",
      };
    }
    // The session loaded (so the store answered) but another GET of it is still open on that instance.
    if (kind === "get" && response.status === 409) {
      return { kind, upstream, status: 409, verdict: "ok", detail: await response.text() };
    }
    const text = await response.text();
    let body: WireMessage | undefined;
    try {
      body = JSON.parse(text) as WireMessage;
    } catch {
      body = undefined;
    }
    const unavailable =
      body?.error?.code === STORE_UNAVAILABLE && /session store unavailable/i.test(body.error.message);
    let verdict: Outcome["verdict"] = "other";
    if (response.status === 503 && unavailable && response.headers.get("retry-after") !== null) verdict = "unavailable";
    // A request whose session loaded just before the loss, failing at a later store step: in-band, same error.
    else if (response.status === 200 && unavailable) verdict = "unavailable";
    else if (response.status === 200 && body?.result !== undefined) verdict = "ok";
    if (kind === "initialize" && verdict === "ok") {
      const created = response.headers.get("mcp-session-id");
      // Straight to the instance, so the proxy's rotation stays one request per load step.
      if (created) await deleteSession(`${upstream}/mcp`, created).then((r) => r.body?.cancel());
    }
    return { kind, upstream, status: response.status, verdict, detail: text.slice(0, 200) };
  }

  /** `total` requests, `CONCURRENCY` at a time, cycling through `kinds`. */
  async function load(total: number, kinds: Kind[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (let start = 0; start < total; start += CONCURRENCY) {
      const wave = Array.from({ length: Math.min(CONCURRENCY, total - start) }, (_, j) => {
        const i = start + j;
        return send(kinds[i % kinds.length] as Kind, i);
      });
      outcomes.push(...(await Promise.all(wave)));
    }
    return outcomes;
  }

  const count = (outcomes: Outcome[], verdict: Outcome["verdict"]) =>
    outcomes.filter((o) => o.verdict === verdict).length;

  function expectHealthyProcesses(): void {
    for (const instance of d.instances) {
      expect(instance.alive(), `instance ${instance.instanceId} died: ${instance.stderr()}`).toBe(true);
      expect(instance.stderr()).not.toMatch(/unhandled|uncaught|TypeError|ReferenceError/i);
    }
  }

  it("answers 503 while the store is down, keeps every process up, and recovers by itself", async () => {
    const [A, B] = d.instances;
    if (!A || !B) throw new Error("two instances expected");
    sessions = await Promise.all(Array.from({ length: 4 }, () => openSession(d.url)));
    sdk = await connectSdk(() => d.url);
    const sdkSession = sdk.transport.sessionId;
    // A raw GET stream held through the outage, on A.
    const held = new SseReader(await openGet(A.url, sessions[0] ?? ""));

    // Healthy: everything served.
    const healthy = await load(100, ["call", "initialize"]);
    expect(healthy.filter((o) => o.verdict !== "ok")).toEqual([]);

    await d.backend.stopStore();

    // Outage: 200 requests of every kind. An instance may serve a few before its client has noticed the
    // loss; from its first 503 on, it answers nothing but 503 until the store is back.
    const outage = await load(200, ["call", "initialize", "get"]);
    expect(outage.filter((o) => o.verdict === "other")).toEqual([]);
    for (const instance of [A, B]) {
      const mine = outage.filter((o) => o.upstream === instance.origin);
      expect(mine.length).toBe(100); // strict rotation
      const firstRefusal = mine.findIndex((o) => o.verdict === "unavailable");
      expect(firstRefusal).toBeGreaterThanOrEqual(0);
      expect(mine.slice(firstRefusal).filter((o) => o.verdict !== "unavailable")).toEqual([]);
      expect(count(mine, "unavailable")).toBeGreaterThanOrEqual(90);
    }
    for (const kind of ["call", "initialize", "get"] as const) {
      expect(outage.some((o) => o.kind === kind && o.status === 503)).toBe(true);
    }
    // The SDK client sees the outage as an error it can retry, not as a lost session.
    const during = await sdk.client.callTool({ name: "echo", arguments: { text: "during" } }).catch((e: unknown) => e);
    expect(during).toMatchObject({ code: 503, message: expect.stringMatching(/session store unavailable/i) });
    expectHealthyProcesses();

    await d.backend.restartStore();

    // Recovery, by themselves: poll through the proxy until each instance has served a request again...
    const recovered = new Set<string>();
    for (let i = 0; recovered.size < 2; i++) {
      const outcome = await send("call", i);
      expect(outcome.verdict).not.toBe("other");
      if (outcome.verdict === "ok") recovered.add(outcome.upstream);
      else await sleep(50);
    }
    // ...then a full batch: every request served, the sessions from before the outage included.
    const after = await load(200, ["call", "initialize"]);
    expect(after.filter((o) => o.verdict !== "ok")).toEqual([]);
    expect(new Set(after.map((o) => o.upstream))).toEqual(new Set([A.origin, B.origin]));

    // The same SDK client carries on in the same session.
    const echoed = await sdk.client.callTool({ name: "echo", arguments: { text: "after" } });
    expect(echoed.content).toEqual([{ type: "text", text: "after" }]);
    expect(sdk.transport.sessionId).toBe(sdkSession);
    expect(sdk.log.items.filter((r) => r.rpcMethod === "initialize")).toHaveLength(1);

    // The GET stream held on A through the outage hears broadcasts again once A has resubscribed
    // (raised on B; repeated until A's subscriber connection is back, since pub/sub drops what it misses).
    let heard = false;
    void held.untilMethod("notifications/tools/list_changed").then(() => {
      heard = true;
    });
    for (let present = true; !heard; present = !present) {
      const toggled = await post(
        B.url,
        sessions[1],
        rpc("tools/call", { name: "toggle_demo_tool", arguments: { present } }),
        { accept: BOTH },
      );
      expect(toggled.status).toBe(200);
      await toggled.body?.cancel();
      if (!heard) await sleep(50);
    }
    await held.cancel();
    await post(B.url, sessions[1], rpc("tools/call", { name: "toggle_demo_tool", arguments: { present: false } }));

    expectHealthyProcesses();
    // Each instance reported the outage (no silent failure) without flooding its log, and the recovery.
    for (const instance of [A, B]) {
      const reports = instance.stderr().match(/unreachable/g) ?? [];
      expect(reports.length).toBeGreaterThanOrEqual(1);
      expect(reports.length).toBeLessThanOrEqual(2); // once per connection (redis: commands + subscriber)
      expect(instance.stdout()).toMatch(/reachable again/);
    }
  });
});
