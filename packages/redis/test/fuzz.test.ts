import type { McpServer } from "@mcp-edge/core";
import {
  checkProperty,
  FuzzHarness,
  type FuzzTarget,
  fuzzTestTimeout,
  installFuzzTools,
  repliesProperty,
  requestSpec,
  type ServerMode,
  SUBJECT_HEADER,
  streamsProperty,
  subjectFromHeader,
  surfaceProperty,
} from "@mcp-edge/test-support/fuzz";
import { describe, it } from "vitest";
import { testPrefix } from "./clients.js";
import { useRedisInstances } from "./instances.js";

// The fuzz properties on a distributed deployment: two server instances over one real redis-server,
// requests alternating between them, so sessions, client replies, stream resumption and notifications
// cross instances through Redis.

const MAX_BODY_BYTES = 64 * 1024;
const MAX_JSON_DEPTH = 100;

const redis = useRedisInstances();

/** One instance of a deployment sharing `prefix`. */
async function instance(mode: ServerMode, prefix: string): Promise<McpServer> {
  const server = await redis.instance(prefix, {
    name: "fuzz",
    stateless: mode === "stateful" ? false : undefined,
    maxBodyBytes: MAX_BODY_BYTES,
    authSubject: subjectFromHeader,
    onError: () => {},
    // A resumed stream of a request no instance serves ends after this: short, so such cases stay quick.
    requestHeartbeatIntervalMs: 100,
    requestHeartbeatTimeoutMs: 500,
  });
  installFuzzTools(server);
  return server;
}

/** Two instances behind a round robin: every request goes to the other one than the last. */
async function deployment(mode: ServerMode): Promise<{ target: FuzzTarget; instances: McpServer[] }> {
  const prefix = testPrefix();
  const instances = [await instance(mode, prefix), await instance(mode, prefix)];
  let next = 0;
  const target: FuzzTarget = {
    mode,
    url: "http://localhost/mcp",
    fetch: (request) => {
      const server = instances[next++ % instances.length] as McpServer;
      return server.fetch(request);
    },
    maxBodyBytes: MAX_BODY_BYTES,
    maxJsonDepth: MAX_JSON_DEPTH,
    subjectHeader: SUBJECT_HEADER,
    instances: instances.length,
  };
  return { target, instances };
}

describe("fuzz on Redis, two instances", () => {
  it.each(["stateful", "auto"] as const)(
    "answers every request of the HTTP surface with its documented status (%s)",
    async (mode) => {
      const { target } = await deployment(mode);
      await checkProperty(`redis/surface/${mode}`, surfaceProperty(new FuzzHarness(target), requestSpec));
    },
    fuzzTestTimeout("redis/surface/stateful"),
  );

  it(
    "answers a tool call that asks the client, whatever the client replies, across instances",
    async () => {
      const { target } = await deployment("stateful");
      await checkProperty("redis/replies", repliesProperty(new FuzzHarness(target)));
    },
    fuzzTestTimeout("redis/replies"),
  );

  it(
    "opens, refuses or resumes GET streams as documented, whatever the Last-Event-ID, across instances",
    async () => {
      const { target, instances } = await deployment("stateful");
      let turn = 0;
      await checkProperty(
        "redis/streams",
        streamsProperty(new FuzzHarness(target), (sessionId, marker) =>
          (instances[turn++ % 2] as McpServer).sendNotificationToSession(sessionId, "notifications/message", {
            level: "info",
            data: marker,
          }),
        ),
      );
    },
    fuzzTestTimeout("redis/streams"),
  );
});
