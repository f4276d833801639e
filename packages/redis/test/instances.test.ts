import { type JsonRpcMessage, McpServer, type McpServerOptions } from "@mcp-edge/core";
import { eventually, openSession } from "@mcp-edge/storage-contract";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { SseReader } from "@mcp-edge/test-support/wire";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RedisEventStore, RedisSessionStore, RedisStreamManager } from "../src/index.js";
import { connectClient, type OpenClient, testPrefix } from "./clients.js";

// Two core instances, each with its own connections, sharing one real redis-server: what two server
// processes behind a load balancer are. An instance "dies" when its connections are destroyed and it
// is closed: it can neither store nor publish anything any more.

const BASE = "http://localhost/mcp";
const BOTH = "application/json, text/event-stream";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

interface Instance {
  server: McpServer;
  events: RedisEventStore;
  /** Destroys its connections and closes it: nothing it does reaches Redis any more. */
  kill(): Promise<void>;
  /** Lets its "long" tool return. */
  finishLong(): void;
}

const open: OpenClient[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

async function instance(prefix: string, options: Partial<McpServerOptions> = {}): Promise<Instance> {
  const client = await connectClient("node-redis", redis.url);
  const pubSub = await connectClient("node-redis", redis.url);
  open.push(client, pubSub);
  const events = new RedisEventStore({ client: client.client, prefix });
  const server = new McpServer({
    name: "t",
    version: "1",
    stateless: false,
    sessionStore: new RedisSessionStore({ client: client.client, prefix }),
    streamManager: new RedisStreamManager({ client: client.client, pubSubClient: pubSub.client, prefix }),
    eventStore: events,
    requestHeartbeatIntervalMs: 50,
    requestHeartbeatTimeoutMs: 500,
    onError: () => {},
    ...options,
  });
  server.resource("test://watched", { name: "w" }, async (uri) => ({ contents: [{ uri: uri.href, text: "" }] }));
  let finishLong: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finishLong = resolve;
  });
  server.tool("long", {}, async (_args, ctx) => {
    await ctx.log("info", "one");
    ctx.closeSSEStream();
    await ctx.log("info", "two");
    await finished;
    return { content: [] };
  });
  return {
    server,
    events,
    finishLong,
    async kill() {
      await Promise.all([client.close(), pubSub.close()]);
      await server.close();
    },
  };
}

function post(server: McpServer, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return server.fetch(
    new Request(BASE, {
      method: "POST",
      headers: { "content-type": "application/json", accept: BOTH, ...headers },
      body: JSON.stringify(body),
    }),
  );
}

function openSessionOn(server: McpServer): Promise<Record<string, string>> {
  return openSession((body, headers) => post(server, body, headers));
}

function get(server: McpServer, headers: Record<string, string>, lastEventId?: string): Promise<Response> {
  const resume: Record<string, string> = lastEventId === undefined ? {} : { "last-event-id": lastEventId };
  return server.fetch(new Request(BASE, { headers: { accept: "text/event-stream", ...headers, ...resume } }));
}

function reader(response: Response): SseReader {
  if (!response.body) throw new Error(`no body (status ${response.status})`);
  return new SseReader(response.body);
}

/** The next message of a stream (priming events skipped), or undefined when it ended. */
async function nextMessage(stream: SseReader): Promise<{ id?: string; message: JsonRpcMessage } | undefined> {
  for (let event = await stream.next(); event; event = await stream.next()) {
    if (event.data.trim() !== "")
      return { ...(event.id === undefined ? {} : { id: event.id }), message: JSON.parse(event.data) };
  }
  return undefined;
}

async function rest(stream: SseReader): Promise<JsonRpcMessage[]> {
  const out: JsonRpcMessage[] = [];
  for (let event = await nextMessage(stream); event; event = await nextMessage(stream)) out.push(event.message);
  return out;
}

const info = (data: unknown) => ({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data } });

describe("two instances on one Redis", () => {
  it("a notification raised while the stream's instance is gone is replayed on the other, exactly once and in order", async () => {
    const prefix = testPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const headers = await openSessionOn(a.server);
    await (
      await post(
        b.server,
        { jsonrpc: "2.0", id: 1, method: "resources/subscribe", params: { uri: "test://watched" } },
        headers,
      )
    ).text();
    const onA = reader(await get(a.server, headers));
    await b.server.sendNotification("notifications/message", { level: "info", data: 0 });
    const first = await nextMessage(onA);
    expect(first?.message).toEqual(info(0));

    await a.kill();
    for (let n = 1; n <= 20; n++) {
      await b.server.sendNotification("notifications/message", { level: "info", data: n });
      if (n % 5 === 0) await b.server.notifyResourceUpdated(n === 10 ? "test://watched" : "test://other");
    }
    const onB = reader(await get(b.server, headers, first?.id));
    const expected: unknown[] = [];
    for (let n = 1; n <= 20; n++) {
      expected.push(info(n));
      if (n === 10)
        expected.push({ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "test://watched" } });
    }
    const seen: unknown[] = [];
    while (seen.length < expected.length) seen.push((await nextMessage(onB))?.message);
    expect(seen).toEqual(expected);
    await b.server.sendNotification("notifications/message", { level: "info", data: "live" });
    expect((await nextMessage(onB))?.message).toEqual(info("live"));
    await onB.cancel();
    await b.server.close();
  });

  it("a request whose instance died: its resumed stream replays what was stored, then ends with an error for it", async () => {
    const prefix = testPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const headers = await openSessionOn(a.server);
    const call = reader(
      await post(a.server, { jsonrpc: "2.0", id: "job-1", method: "tools/call", params: { name: "long" } }, headers),
    );
    const one = await nextMessage(call);
    expect(one?.message).toEqual(info("one"));
    expect(await call.next()).toBeUndefined();
    // What the instance stored before it died is what the resumed stream must replay.
    await eventually(async () => expect((await b.events.replayAfter(one?.id ?? ""))?.events).toHaveLength(1));
    await a.kill();

    const resumed = reader(await get(b.server, headers, one?.id));
    expect(await rest(resumed)).toEqual([
      info("two"),
      { jsonrpc: "2.0", id: "job-1", error: { code: -32603, message: expect.stringContaining("interrupted") } },
    ]);
    a.finishLong();
    await b.server.close();
  });

  it("a GET stream ends once Redis has lost its session", async () => {
    const prefix = testPrefix();
    const a = await instance(prefix, { keepAliveIntervalMs: 50 });
    const headers = await openSessionOn(a.server);
    const stream = reader(await get(a.server, headers));
    await a.server.sendNotification("notifications/message", { level: "info", data: "before" });
    expect((await nextMessage(stream))?.message).toEqual(info("before"));
    const admin = await connectClient("node-redis", redis.url);
    open.push(admin);
    if ("sendCommand" in admin.client)
      await admin.client.sendCommand(["DEL", `${prefix}session:${headers["mcp-session-id"]}`]);
    expect(await nextMessage(stream)).toBeUndefined();
    await a.server.close();
  });
  it("a session has one standalone stream across instances: opening it on B ends the one held on A", async () => {
    const prefix = testPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const headers = await openSessionOn(a.server);
    const onA = await get(a.server, headers);
    expect(onA.status).toBe(200);
    const held = reader(onA);
    const onB = await get(b.server, headers);
    expect(onB.status).toBe(200);
    // A lets its stream go: it ends cleanly, and the client carries on with the one on B.
    expect(await rest(held)).toEqual([]);
    await b.server.sendNotificationToSession(headers["mcp-session-id"] ?? "", "notifications/message", {
      level: "info",
      data: "to B",
    });
    const onBStream = reader(onB);
    expect((await nextMessage(onBStream))?.message).toEqual(info("to B"));
    // On one instance a second stream is still refused while the first is held.
    const again = await get(b.server, headers);
    expect(again.status).toBe(409);
    await onBStream.cancel();
    await a.kill();
    await b.kill();
  });
});
