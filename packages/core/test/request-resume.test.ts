import { describe, expect, it } from "vitest";
import {
  InMemoryEventStore,
  InMemorySessionStore,
  InMemoryStreamManager,
  McpServer,
  type McpServerOptions,
} from "../src/index.js";
import type { RequestId } from "../src/protocol/jsonrpc.js";
import { openSession, post, SseReader } from "./helpers.js";
import { drain, info, openGet, sleep, take } from "./streams.js";

const HEARTBEAT = { requestHeartbeatIntervalMs: 20, requestHeartbeatTimeoutMs: 200 };

/** A tool that logs, hands its stream over to resumption, logs again, then runs until `finish` is called. */
function createServer(options: Partial<McpServerOptions> = {}) {
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const server = new McpServer({ name: "t", version: "1", stateless: false, ...HEARTBEAT, ...options });
  server.tool("long", {}, async (_args, ctx) => {
    await ctx.log("info", "one");
    ctx.closeSSEStream();
    await ctx.log("info", "two");
    await finished;
    return { content: [{ type: "text", text: "done" }] };
  });
  return { server, finish };
}

/** Calls the long tool and reads up to its first message; the server then ends that connection. */
async function callUntilCut(server: McpServer, headers: Record<string, string>, id: RequestId): Promise<string> {
  const response = await post(
    server.fetch,
    { jsonrpc: "2.0", id, method: "tools/call", params: { name: "long" } },
    headers,
  );
  const reader = new SseReader(response);
  const [one] = await take(reader, 1);
  expect(one?.message).toEqual(info("one"));
  expect(await reader.next()).toBeUndefined();
  return one?.id ?? "";
}

describe("resuming a request's stream", () => {
  it("stays open while the request runs, however long, and ends with its result", async () => {
    const { server, finish } = createServer();
    const headers = await openSession(server.fetch);
    const lastEventId = await callUntilCut(server, headers, 1);
    const resumed = new SseReader(await openGet(server.fetch, headers, lastEventId));
    expect((await take(resumed, 1))[0]?.message).toEqual(info("two"));
    // Several heartbeat timeouts pass with the request still running: its instance keeps saying so.
    await sleep(5 * HEARTBEAT.requestHeartbeatTimeoutMs);
    finish();
    expect(await drain(resumed)).toEqual([
      { jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "done" }] } },
    ]);
  });

  for (const id of [7, "call-α/β_γ"] as RequestId[]) {
    it(`replays what was stored, then ends with an error for request ${JSON.stringify(id)} when its instance is gone`, async () => {
      const sessionStore = new InMemorySessionStore();
      const eventStore = new InMemoryEventStore();
      // Two instances sharing the stores. The first one's link to the others is its own stream
      // manager: once its client is cut off it can reach no one, as an instance that died.
      const owner = createServer({ sessionStore, eventStore, streamManager: new InMemoryStreamManager() });
      const other = createServer({ sessionStore, eventStore, streamManager: new InMemoryStreamManager() });
      const headers = await openSession(owner.server.fetch);
      const lastEventId = await callUntilCut(owner.server, headers, id);

      const resumed = new SseReader(await openGet(other.server.fetch, headers, lastEventId));
      const rest = await drain(resumed);
      expect(rest).toEqual([
        info("two"),
        { jsonrpc: "2.0", id, error: { code: -32603, message: expect.stringMatching(/interrupted.*Retry/) } },
      ]);
      owner.finish();
    });
  }

  it("ends a resumed stream whose request ended without answering, e.g. a made-up one, with an error for its id", async () => {
    const { server } = createServer();
    const headers = await openSession(server.fetch);
    const sessionId = headers["mcp-session-id"] ?? "";
    const madeUp = `${sessionId}.0123456789abcdef01.n42_0`;
    const resumed = new SseReader(await openGet(server.fetch, headers, madeUp));
    expect(await drain(resumed)).toEqual([
      { jsonrpc: "2.0", id: 42, error: { code: -32603, message: expect.stringMatching(/interrupted/) } },
    ]);
  });

  it("opens a made-up Last-Event-ID as a fresh standalone stream, so the one-per-session rule still holds", async () => {
    const { server } = createServer();
    const headers = await openSession(server.fetch);
    const sessionId = headers["mcp-session-id"] ?? "";
    const first = await openGet(server.fetch, headers, `${sessionId}.anything_0`);
    expect(first.status).toBe(200);
    for (const madeUp of [`${sessionId}.else_0`, `${sessionId}.get_0`, `${sessionId}.0123_1`, "other.get_0", "junk"]) {
      const again = await openGet(server.fetch, headers, madeUp);
      expect(again.status, madeUp).toBe(409);
      await again.body?.cancel();
    }
    const stream = new SseReader(first);
    await server.sendNotification("notifications/message", { level: "info", data: "live" });
    expect((await take(stream, 1))[0]?.message).toEqual(info("live"));
    await stream.cancel();
  });
});
