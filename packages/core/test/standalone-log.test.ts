import { describe, expect, it } from "vitest";
import {
  InMemoryEventStore,
  InMemorySessionStore,
  InMemoryStreamManager,
  McpServer,
  type McpServerOptions,
} from "../src/index.js";
import type { JsonRpcMessage } from "../src/protocol/jsonrpc.js";
import { openSession, post, SseReader } from "./helpers.js";
import { info, openGet, sleep, take } from "./streams.js";

function createServer(options: Partial<McpServerOptions> = {}): McpServer {
  const server = new McpServer({ name: "t", version: "1", stateless: false, ...options });
  server.resource("test://watched", { name: "watched" }, async (uri) => ({ contents: [{ uri: uri.href, text: "" }] }));
  server.resource("test://other", { name: "other" }, async (uri) => ({ contents: [{ uri: uri.href, text: "" }] }));
  return server;
}

async function subscribe(server: McpServer, headers: Record<string, string>, uri: string): Promise<void> {
  const response = await post(
    server.fetch,
    { jsonrpc: "2.0", id: 1, method: "resources/subscribe", params: { uri } },
    headers,
  );
  expect(await response.json()).toMatchObject({ id: 1, result: {} });
}

const updated = (uri: string): JsonRpcMessage => ({
  jsonrpc: "2.0",
  method: "notifications/resources/updated",
  params: { uri },
});
const listChanged: JsonRpcMessage = { jsonrpc: "2.0", method: "notifications/tools/list_changed" };

describe("the standalone stream is a log", () => {
  it("replays what was raised while no GET stream was attached: broadcasts, resource updates and direct messages", async () => {
    const server = createServer();
    const headers = await openSession(server.fetch);
    const sessionId = headers["mcp-session-id"] ?? "";
    await subscribe(server, headers, "test://watched");
    const first = new SseReader(await openGet(server.fetch, headers));
    await server.sendNotification("notifications/message", { level: "info", data: 0 });
    const [seen] = await take(first, 1);
    expect(seen?.message).toEqual(info(0));
    await first.cancel();

    // The gap: nothing is attached anywhere.
    await server.sendNotification("notifications/message", { level: "info", data: 1 });
    await server.notifyResourceUpdated("test://other");
    await server.notifyResourceUpdated("test://watched");
    await server.sendNotificationToSession(sessionId, "notifications/message", { level: "info", data: 2 });
    server.tool("added", {}, () => ({ content: [] }));
    await sleep(0); // list_changed is raised in the background

    const resumed = new SseReader(await openGet(server.fetch, headers, seen?.id));
    const replayed = await take(resumed, 4);
    expect(replayed.map((event) => event.message)).toEqual([info(1), updated("test://watched"), info(2), listChanged]);
    // And live again afterwards, exactly once.
    await server.sendNotification("notifications/message", { level: "info", data: 3 });
    expect((await take(resumed, 1))[0]?.message).toEqual(info(3));
    await resumed.cancel();
  });

  it("delivers each of a steady flow of notifications exactly once, in order, across repeated reconnects", async () => {
    const server = createServer();
    const headers = await openSession(server.fetch);
    const total = 60;
    // Listening starts with the first GET stream: what is raised before it is not for this client.
    let reader = new SseReader(await openGet(server.fetch, headers));
    let raising = true;
    const raised = (async () => {
      for (let n = 0; n < total; n++) {
        await server.sendNotification("notifications/message", { level: "info", data: n });
        await sleep(2);
      }
      raising = false;
    })();
    const received: unknown[] = [];
    let lastEventId: string | undefined;
    while (received.length < total) {
      if (lastEventId !== undefined) reader = new SseReader(await openGet(server.fetch, headers, lastEventId));
      // Read a few, then drop the connection mid-flow and come back after a pause.
      for (const event of await take(reader, Math.min(7, total - received.length))) {
        received.push((event.message as unknown as { params: { data: unknown } }).params.data);
        lastEventId = event.id;
      }
      await reader.cancel();
      if (raising) await sleep(15);
    }
    await raised;
    expect(received).toEqual(Array.from({ length: total }, (_, n) => n));
  });

  it("is recorded where raised: a client whose stream's instance went away resumes on another and misses nothing", async () => {
    const shared = {
      sessionStore: new InMemorySessionStore(),
      eventStore: new InMemoryEventStore(),
      streamManager: new InMemoryStreamManager(),
    };
    const a = createServer(shared);
    const b = createServer(shared);
    const headers = await openSession(a.fetch);
    await subscribe(b, headers, "test://watched");
    const onA = new SseReader(await openGet(a.fetch, headers));
    await b.sendNotification("notifications/message", { level: "info", data: "before" });
    const [seen] = await take(onA, 1);
    expect(seen?.message).toEqual(info("before"));

    await a.close(); // the instance holding the stream is gone
    expect(await onA.next()).toBeUndefined();
    await b.sendNotification("notifications/message", { level: "info", data: "during" });
    await b.notifyResourceUpdated("test://other");
    await b.notifyResourceUpdated("test://watched");

    const onB = new SseReader(await openGet(b.fetch, headers, seen?.id));
    expect((await take(onB, 2)).map((event) => event.message)).toEqual([info("during"), updated("test://watched")]);
    await b.sendNotification("notifications/message", { level: "info", data: "after" });
    expect((await take(onB, 1))[0]?.message).toEqual(info("after"));
    await onB.cancel();
  });

  it("does not log for a session that never opened a GET stream, nor after it ended", async () => {
    const eventStore = new InMemoryEventStore();
    const server = createServer({ eventStore });
    const never = await openSession(server.fetch);
    const ended = await openSession(server.fetch);
    const stream = new SseReader(await openGet(server.fetch, ended));
    await server.sendNotification("notifications/message", { level: "info", data: "heard" });
    await take(stream, 1);
    const deleted = await server.fetch(
      new Request("http://localhost/mcp", {
        method: "DELETE",
        headers: { "mcp-session-id": ended["mcp-session-id"] ?? "" },
      }),
    );
    expect(deleted.status).toBe(200);
    expect(await stream.next()).toBeUndefined();
    const before = eventStore.streamCount;
    await server.sendNotification("notifications/message", { level: "info", data: "nobody" });
    expect(eventStore.streamCount).toBe(before);
    expect(never["mcp-session-id"]).toBeDefined();
  });
});
