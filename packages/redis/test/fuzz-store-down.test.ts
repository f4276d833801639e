import type { McpServer } from "@mcp-edge/core";
import { eventually } from "@mcp-edge/storage-contract";
import {
  checkProperty,
  FuzzHarness,
  type FuzzTarget,
  fuzzTestTimeout,
  installFuzzTools,
  type KnownSession,
  requestSpec,
  SUBJECT_HEADER,
  subjectFromHeader,
  surfaceProperty,
} from "@mcp-edge/test-support/fuzz";
import { expect, it } from "vitest";
import { testPrefix } from "./clients.js";
import { useRedisInstances } from "./instances.js";

// While Redis is down, every request still gets its documented answer, or 503 -32003 where the store
// is needed: no other 5xx, no hang, no unhandled rejection. When Redis is back (empty), the sessions it
// lost answer 404 and new ones open.

const MAX_BODY_BYTES = 64 * 1024;
const redis = useRedisInstances();

async function instance(prefix: string): Promise<McpServer> {
  const server = await redis.instance(
    prefix,
    { name: "fuzz", maxBodyBytes: MAX_BODY_BYTES, authSubject: subjectFromHeader, onError: () => {} },
    { onError: () => {} },
  );
  installFuzzTools(server);
  return server;
}

it(
  "answers every request while Redis is down (503 -32003 where the store is needed), and recovers",
  async () => {
    const prefix = testPrefix();
    const instances = [await instance(prefix), await instance(prefix)];
    let next = 0;
    const target: FuzzTarget = {
      mode: "auto",
      url: "http://localhost/mcp",
      fetch: (request) => (instances[next++ % 2] as McpServer).fetch(request),
      maxBodyBytes: MAX_BODY_BYTES,
      maxJsonDepth: 100,
      subjectHeader: SUBJECT_HEADER,
    };
    const harness = new FuzzHarness(target);
    const sessions: KnownSession[] = [
      await harness.openSession(),
      await harness.openSession({ subject: "alice" }),
      await harness.openSession({ subject: "bob", protocolVersion: "2025-03-26" }),
    ];
    await harness.endedSession();
    harness.pinSessions(sessions);

    await redis.redis.stop();
    await checkProperty("redis/store-down", surfaceProperty(harness, requestSpec, { storeMayBeDown: true }));

    await redis.redis.restart();
    for (const session of sessions) session.live = false;
    // Each instance's clients reconnect on their own schedule (requests alternate between the two, so
    // one may still answer 503 while the other already serves); then the lost sessions are unknown.
    for (const session of sessions) {
      await eventually(async () => {
        const ping = await harness.send({ jsonrpc: "2.0", id: 1, method: "ping" }, session);
        expect(ping.status).toBe(404);
        expect((await ping.json()).error.code).toBe(-32001);
      });
    }
    const fresh = await eventually(() => harness.openSession());
    expect(fresh.live).toBe(true);
    await harness.endCase();
  },
  fuzzTestTimeout("redis/store-down"),
);
