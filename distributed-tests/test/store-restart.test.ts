/**
 * The store restarts under load and comes back empty: two instances behind the round-robin proxy, a few
 * clients (raw HTTP and the official SDK client) each sending a bounded stream of tool calls, and
 * redis-server (no persistence) killed for a few seconds, then started again on the same address. While
 * it is down every request the store is needed for gets 503 with `Retry-After` and JSON-RPC -32003, and
 * no server process exits. Once it is back the instances serve again by themselves; the sessions it lost
 * answer 404, and the clients initialize new ones and carry on; a new session's GET stream then hears the
 * notifications raised on either instance exactly once, in order.
 *
 * Bounded by counts: each client stops after MAX_REQUESTS at most, and the test waits for conditions
 * (each client served again after the restart), never for a fixed time.
 */

import { UPSTREAM_HEADER } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../src/backends.js";
import { type Deployment, startDeployment } from "../src/deployment.js";
import { Raiser, subscribeAll, watchedUris } from "../src/raise.js";
import { Received } from "../src/received.js";
import { connectSdk, type SdkClient } from "../src/sdk.js";
import { sleep } from "../src/sleep.js";
import {
  notification,
  openGet,
  openSession,
  PROTOCOL_VERSION,
  post,
  rpc,
  SseReader,
  type WireMessage,
} from "../src/wire.js";

const STORE_UNAVAILABLE = -32003;
const SESSION_NOT_FOUND = -32001;
const RAW_CLIENTS = 3;
/** Per client: far more than a run needs; reaching it fails the test instead of looping on. */
const MAX_REQUESTS = 600;
const PAUSE_MS = 50;
/** The outage lasts at least this long once both instances have refused a request. */
const OUTAGE_MS = 2_000;
const TIMEOUT_MS = 120_000;

type Phase = "before" | "outage" | "after";
type Verdict = "ok" | "initialized" | "unavailable" | "lost" | "other";

interface Outcome {
  client: string;
  /** The phase when the request was sent, and when its answer came. */
  sent: Phase;
  answered: Phase;
  verdict: Verdict;
  /** The instance that answered (raw clients only: the proxy names it). */
  upstream?: string;
  detail: string;
}

describe.each(BACKENDS)("store restart over $name: redis-server killed under load, back empty", (backend) => {
  let d: Deployment;
  const sdks: SdkClient[] = [];

  beforeAll(async () => {
    d = await startDeployment(backend, { label: "restart" });
  });

  afterAll(async () => {
    for (const sdk of sdks.splice(0)) await sdk.client.close().catch(() => {});
    await d?.stop();
  });

  it(
    "answers 503 + Retry-After meanwhile, keeps every process up, and serves again; lost sessions answer 404 and clients re-initialize",
    async () => {
      let phase: Phase = "before";
      let done = false;
      // A safety stop for the clients should the test time out (the test itself waits for conditions).
      const stopBy = Date.now() + TIMEOUT_MS;
      const more = (i: number) => i < MAX_REQUESTS && !done && Date.now() < stopBy;
      const outcomes: Outcome[] = [];
      const record = (outcome: Omit<Outcome, "answered">) => outcomes.push({ ...outcome, answered: phase });
      const of = (client: string) => outcomes.filter((o) => o.client === client);

      /** Classifies a JSON answer; `served` says whether a body is what the request returns when served. */
      async function classify(response: Response, served: (body: WireMessage) => boolean): Promise<[Verdict, string]> {
        const text = await response.text();
        let body: WireMessage | undefined;
        try {
          body = JSON.parse(text) as WireMessage;
        } catch {
          body = undefined;
        }
        const detail = `HTTP ${response.status} ${text.slice(0, 200)}`;
        const code = body?.error?.code;
        if (code === STORE_UNAVAILABLE && /session store unavailable/i.test(body?.error?.message ?? "")) {
          if (response.status === 503 && Number(response.headers.get("retry-after")) > 0)
            return ["unavailable", detail];
          // Loaded just before the loss, failed at a later store step: answered in-band, same error.
          if (response.status === 200) return ["unavailable", detail];
        }
        if (response.status === 404 && code === SESSION_NOT_FOUND) return ["lost", detail];
        if (response.status === 200 && body && served(body)) return ["ok", detail];
        return ["other", detail];
      }

      /** One raw client: initializes, then calls `echo` until told to stop; re-initializes after a 404. */
      async function rawClient(name: string): Promise<void> {
        let sessionId: string | undefined;
        for (let i = 0; more(i); i++) {
          const sent = phase;
          let verdict: Verdict;
          let detail: string;
          let response: Response;
          try {
            if (sessionId === undefined) {
              response = await post(
                d.url,
                undefined,
                rpc("initialize", {
                  protocolVersion: PROTOCOL_VERSION,
                  capabilities: {},
                  clientInfo: { name, version: "1.0.0" },
                }),
              );
              const created = response.headers.get("mcp-session-id") ?? undefined;
              [verdict, detail] = await classify(response, (body) => body.result?.protocolVersion !== undefined);
              if (verdict === "ok" && created) {
                const initialized = await post(d.url, created, notification("notifications/initialized"));
                await initialized.body?.cancel();
                // The store may go between the two: then this session is abandoned and another one made.
                if (initialized.status === 202) {
                  sessionId = created;
                  verdict = "initialized";
                } else {
                  verdict = initialized.status === 503 ? "unavailable" : "other";
                  detail = `notifications/initialized: HTTP ${initialized.status}`;
                }
              }
            } else {
              const text = `${name}-${i}`;
              response = await post(d.url, sessionId, rpc("tools/call", { name: "echo", arguments: { text } }));
              [verdict, detail] = await classify(
                response,
                (body) => JSON.stringify(body.result?.content) === JSON.stringify([{ type: "text", text }]),
              );
              if (verdict === "lost") sessionId = undefined;
            }
          } catch (error) {
            record({ client: name, sent, verdict: "other", detail: `fetch failed: ${String(error)}` });
            await sleep(PAUSE_MS);
            continue;
          }
          const upstream = response.headers.get(UPSTREAM_HEADER) ?? "";
          record({ client: name, sent, verdict, upstream, detail });
          // A well-behaved client waits as long as Retry-After says.
          const retryAfter = Number(response.headers.get("retry-after"));
          await sleep(verdict === "unavailable" && retryAfter > 0 ? retryAfter * 1_000 : PAUSE_MS);
        }
      }

      /** The SDK client: calls `echo`; after a 404 it connects anew (a new session), as an application would. */
      async function sdkClient(name: string): Promise<void> {
        let sdk: SdkClient | undefined;
        for (let i = 0; more(i); i++) {
          const sent = phase;
          if (!sdk) {
            try {
              sdk = await connectSdk(() => d.url);
              sdks.push(sdk);
              record({ client: name, sent, verdict: "initialized", detail: "connected" });
            } catch (error) {
              const code = (error as { code?: unknown }).code;
              record({ client: name, sent, verdict: code === 503 ? "unavailable" : "other", detail: String(error) });
              await sleep(1_000);
            }
            continue;
          }
          const text = `${name}-${i}`;
          try {
            const result = await sdk.client.callTool({ name: "echo", arguments: { text } });
            const served = JSON.stringify(result.content) === JSON.stringify([{ type: "text", text }]);
            record({ client: name, sent, verdict: served ? "ok" : "other", detail: JSON.stringify(result) });
            await sleep(PAUSE_MS);
          } catch (error) {
            const { code, message } = error as { code?: unknown; message?: string };
            let verdict: Verdict = "other";
            if (code === 503 && /session store unavailable/i.test(message ?? "")) verdict = "unavailable";
            if (code === 404) verdict = "lost";
            record({ client: name, sent, verdict, detail: String(error) });
            if (verdict === "lost") {
              const old = sdk;
              sdk = undefined;
              await old.client.close().catch(() => {});
            }
            await sleep(verdict === "unavailable" ? 1_000 : PAUSE_MS);
          }
        }
      }

      const names = [...Array.from({ length: RAW_CLIENTS }, (_, i) => `raw${i}`), "sdk"];
      let running = names.length;
      const load = Promise.all(
        names.map((name) => (name === "sdk" ? sdkClient(name) : rawClient(name)).finally(() => running--)),
      );

      /** Waits until `condition` holds, while the clients still run (they are bounded, so this is too). */
      async function until(condition: () => boolean, what: string): Promise<void> {
        while (!condition()) {
          if (running === 0) throw new Error(`the clients finished before ${what}`);
          await sleep(20);
        }
      }
      const servedSince = (client: string, from: number) =>
        of(client)
          .slice(from)
          .filter((o) => o.verdict === "ok").length;

      try {
        await until(() => names.every((n) => servedSince(n, 0) >= 3), "every client was served");

        phase = "outage";
        await d.backend.stopStore();
        const refusedBy = () => new Set(outcomes.filter((o) => o.verdict === "unavailable").map((o) => o.upstream));
        await until(() => refusedBy().has(d.instances[0]?.origin) && refusedBy().has(d.instances[1]?.origin), "503s");
        await sleep(OUTAGE_MS);
        for (const instance of d.instances) {
          expect(instance.alive(), `instance ${instance.instanceId} exited: ${instance.stderr()}`).toBe(true);
        }

        await d.backend.restartStore();
        phase = "after";
        const restartedAt = new Map(names.map((n) => [n, of(n).length]));
        // Each client has lost its session, started a new one, and been served in it a few times.
        await until(
          () =>
            names.every((n) => {
              const since = of(n).slice(restartedAt.get(n));
              const renewed = since.findIndex((o) => o.verdict === "initialized");
              return (
                since.some((o) => o.verdict === "lost") &&
                renewed >= 0 &&
                since.slice(renewed).filter((o) => o.verdict === "ok").length >= 3
              );
            }),
          "every client was served in a new session",
        );
      } finally {
        done = true;
        await load;
      }

      // Nothing but the documented answers, in any phase.
      expect(outcomes.filter((o) => o.verdict === "other")).toEqual([]);
      // Before the outage every request was served; within it no session was lost (the store held them
      // until it went, and nothing answers 404 for a store it cannot reach).
      const served = (o: Outcome) => o.verdict === "ok" || o.verdict === "initialized";
      expect(outcomes.filter((o) => o.answered === "before" && !served(o))).toEqual([]);
      const within = outcomes.filter((o) => o.sent === "outage" && o.answered === "outage");
      expect(within.filter((o) => !served(o) && o.verdict !== "unavailable")).toEqual([]);
      expect(within.filter((o) => o.verdict === "unavailable").length).toBeGreaterThan(0);
      for (const name of names) {
        expect(
          of(name).some((o) => o.verdict === "unavailable"),
          `${name} saw the outage`,
        ).toBe(true);
        // Served at the end, in a session of the restarted store.
        expect(of(name).at(-1)?.verdict, JSON.stringify(of(name).slice(-3))).toBe("ok");
      }
      for (const instance of d.instances) {
        expect(instance.alive(), `instance ${instance.instanceId} exited: ${instance.stderr()}`).toBe(true);
        expect(instance.stderr()).not.toMatch(/unhandled|uncaught|TypeError|ReferenceError/i);
      }
    },
    TIMEOUT_MS,
  );

  it(
    "after the restart, notifications raised on either instance reach a new session's GET stream exactly once, in order",
    async () => {
      const [A, B] = d.instances;
      if (!A || !B) throw new Error("two instances expected");
      // Everything the store held before is gone: sessions, subscriptions, broadcast registrations.
      const onA = new Raiser(A.url, await openSession(A.url));
      const onB = new Raiser(B.url, await openSession(B.url));
      const uris = watchedUris("restart", 10);
      const sessionId = await openSession(d.url);
      await subscribeAll(d.url, sessionId, uris);
      const stream = new SseReader(await openGet(d.url, sessionId));
      try {
        const received = new Received();
        const raised: string[] = [];
        for (let i = 0; i < 20; i++) raised.push(await (i % 4 < 2 ? onA : onB).nth(i, uris));
        await received.readUntilLabel(stream, `updated ${uris[9]}`);
        expect(received.labels()).toEqual(raised);
        expect(received.repeatedIds()).toEqual([]);
      } finally {
        await stream.cancel();
      }
    },
    TIMEOUT_MS,
  );
});
