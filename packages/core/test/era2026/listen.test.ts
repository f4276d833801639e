import { SseReader } from "@mcp-edge/test-support/wire";
import { describe, expect, it } from "vitest";
import { McpServer as FullServer, InMemorySessionStore, InMemoryStreamManager } from "../../src/index.js";
import { lane2026, McpServer } from "../../src/stateless.js";
import { call, modernRequest } from "./modern.js";

type AnyServer = McpServer | FullServer;
const SUB = "io.modelcontextprotocol/subscriptionId";

function populate<S extends AnyServer>(server: S): S {
  server.tool("noop", {}, async () => ({ content: [{ type: "text", text: "ok" }] }));
  server.prompt("p", {}, async () => ({ messages: [] }));
  server.resource("test://watched", { name: "watched" }, async (uri) => ({ contents: [{ uri: uri.href, text: "w" }] }));
  return server;
}

async function listen(server: AnyServer, notifications: unknown, id: number | string = 77) {
  const response = await server.fetch(modernRequest({ id, method: "subscriptions/listen", params: { notifications } }));
  return { response, reader: new SseReader<Record<string, unknown>>(response) };
}

async function next(reader: SseReader<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const event = await reader.nextMessage();
  if (!event?.message) throw new Error("the listen stream ended");
  return event.message;
}

const methodOf = (message: Record<string, unknown>) => message.method;
const metaOf = (message: Record<string, unknown>) =>
  (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;

describe("subscriptions/listen", () => {
  it("acknowledges the honoured subset first, then delivers only what was asked, tagged", async () => {
    const server = populate(new McpServer({ lane2026, name: "listen", version: "1" }));
    const { response, reader } = await listen(server, {
      toolsListChanged: true,
      resourcesListChanged: false,
      resourceSubscriptions: ["test://watched"],
      unknownKind: true,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const ack = await next(reader);
    expect(ack).toEqual({
      jsonrpc: "2.0",
      method: "notifications/subscriptions/acknowledged",
      params: {
        notifications: { toolsListChanged: true, resourceSubscriptions: ["test://watched"] },
        _meta: { [SUB]: 77 },
      },
    });
    server.prompt("later", {}, async () => ({ messages: [] }));
    await server.notifyResourceUpdated("test://other");
    server.tool("added", {}, async () => ({ content: [] }));
    const changed = await next(reader);
    expect(changed).toEqual({
      jsonrpc: "2.0",
      method: "notifications/tools/list_changed",
      params: { _meta: { [SUB]: 77 } },
    });
    await server.notifyResourceUpdated("test://watched");
    const updated = await next(reader);
    expect(updated).toEqual({
      jsonrpc: "2.0",
      method: "notifications/resources/updated",
      params: { uri: "test://watched", _meta: { [SUB]: 77 } },
    });
    await reader.cancel();
    await server.close();
  });

  it("ends gracefully with a complete result when the server closes", async () => {
    const server = populate(new McpServer({ lane2026, name: "close", version: "1" }));
    const { reader } = await listen(server, { promptsListChanged: true }, "listen-1");
    expect(metaOf(await next(reader))).toEqual({ [SUB]: "listen-1" });
    await server.close();
    const final = await next(reader);
    expect(final).toEqual({
      jsonrpc: "2.0",
      id: "listen-1",
      result: {
        resultType: "complete",
        _meta: { [SUB]: "listen-1", "io.modelcontextprotocol/serverInfo": { name: "close", version: "1" } },
      },
    });
    expect(await reader.nextMessage()).toBeUndefined();
  });

  it("acknowledges an empty subset and completes at once", async () => {
    const server = new McpServer({ lane2026, name: "empty", version: "1" });
    server.prompt("p", {}, async () => ({ messages: [] }));
    const { reader } = await listen(server, { toolsListChanged: true });
    expect(await next(reader)).toMatchObject({ params: { notifications: {} } });
    expect(await next(reader)).toMatchObject({ id: 77, result: { resultType: "complete" } });
    expect(await reader.nextMessage()).toBeUndefined();
  });

  it("refuses an invalid filter -32602 and listens past the limit -32603, before any acknowledgement", async () => {
    const server = populate(new McpServer({ lane2026, name: "limits", version: "1", maxListenStreams: 1 }));
    for (const notifications of [undefined, "all", { toolsListChanged: "yes" }, { resourceSubscriptions: [1] }]) {
      const refused = await call(server.fetch, { method: "subscriptions/listen", params: { notifications } });
      expect([refused.status, refused.body.error?.code]).toEqual([200, -32602]);
    }
    const first = await listen(server, { toolsListChanged: true });
    await next(first.reader);
    const second = await call(server.fetch, {
      id: 2,
      method: "subscriptions/listen",
      params: { notifications: { toolsListChanged: true } },
    });
    expect([second.status, second.body.id, second.body.error?.code]).toEqual([200, 2, -32603]);
    // The client closing its stream cancels the listen and frees its place.
    await first.reader.cancel();
    const third = await listen(server, { toolsListChanged: true });
    expect(methodOf(await next(third.reader))).toBe("notifications/subscriptions/acknowledged");
    await server.close();
  });

  it("hears changes raised on another instance through a shared stream manager (stateless)", async () => {
    const streamManager = new InMemoryStreamManager();
    const a = populate(new McpServer({ lane2026, name: "a", version: "1", streamManager }));
    const b = populate(new McpServer({ lane2026, name: "b", version: "1", streamManager }));
    const { reader } = await listen(a, { promptsListChanged: true, resourceSubscriptions: ["test://watched"] });
    await next(reader);
    await call(b.fetch, { method: "server/discover" });
    b.tool("unrequested", {}, async () => ({ content: [] }));
    await b.notifyResourceUpdated("test://watched");
    expect(await next(reader)).toMatchObject({
      method: "notifications/resources/updated",
      params: { uri: "test://watched" },
    });
    b.prompt("more", {}, async () => ({ messages: [] }));
    expect(methodOf(await next(reader))).toBe("notifications/prompts/list_changed");
    await Promise.all([a.close(), b.close()]);
  });

  it("hears what session runtimes broadcast, across instances (stateful, shared stores)", async () => {
    const streamManager = new InMemoryStreamManager();
    const sessionStore = new InMemorySessionStore();
    const options = { version: "1", stateless: false, streamManager, sessionStore };
    const a = populate(new FullServer({ name: "a", ...options }));
    const b = populate(new FullServer({ name: "b", ...options }));
    const { reader } = await listen(a, { toolsListChanged: true, resourceSubscriptions: ["test://watched"] });
    await next(reader);
    await call(b.fetch, { method: "server/discover" });
    b.tool("added", {}, async () => ({ content: [] }));
    expect(methodOf(await next(reader))).toBe("notifications/tools/list_changed");
    await b.sendNotification("notifications/tools/list_changed");
    expect(methodOf(await next(reader))).toBe("notifications/tools/list_changed");
    await b.notifyResourceUpdated("test://watched");
    expect(await next(reader)).toMatchObject({
      method: "notifications/resources/updated",
      params: { _meta: { [SUB]: 77 } },
    });
    await Promise.all([a.close(), b.close()]);
  });

  it("ends at maxStreamDurationMs without a final response, so the client listens again", async () => {
    const server = populate(new McpServer({ lane2026, name: "duration", version: "1", maxStreamDurationMs: 30 }));
    const { reader } = await listen(server, { toolsListChanged: true });
    expect(methodOf(await next(reader))).toBe("notifications/subscriptions/acknowledged");
    expect(await reader.nextMessage()).toBeUndefined();
    await server.close();
  });

  it("ignores what it cannot read on the broadcast channel and keeps delivering", async () => {
    const streamManager = new InMemoryStreamManager();
    const server = populate(new McpServer({ lane2026, name: "hostile", version: "1", streamManager }));
    const { reader } = await listen(server, { toolsListChanged: true });
    await next(reader);
    for (const garbage of ["not json", "null", "[]", '{"type":"all"}', '{"type":"all","message":{"method":7}}']) {
      await streamManager.publish("broadcast", garbage);
    }
    await server.sendNotification("notifications/tools/list_changed");
    expect(methodOf(await next(reader))).toBe("notifications/tools/list_changed");
    await server.close();
  });

  it("sends keepalive comments", async () => {
    const server = populate(new McpServer({ lane2026, name: "keepalive", version: "1", keepAliveIntervalMs: 10 }));
    const response = await server.fetch(
      modernRequest({ method: "subscriptions/listen", params: { notifications: { toolsListChanged: true } } }),
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes(": keepalive")) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error("the stream ended");
      text += decoder.decode(chunk.value);
    }
    expect(text.indexOf("acknowledged")).toBeLessThan(text.indexOf(": keepalive"));
    await reader.cancel();
    await server.close();
  });

  it("ends the stream of a client that does not read, instead of buffering without bound", async () => {
    const server = populate(
      new McpServer({ lane2026, name: "bounded", version: "1", maxBufferedBytesPerStream: 4_096, maxListenStreams: 1 }),
    );
    const response = await server.fetch(
      modernRequest({
        method: "subscriptions/listen",
        params: { notifications: { resourceSubscriptions: ["test://watched"] } },
      }),
    );
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    // Nobody reads: updates pile up until the buffer limit ends the stream and frees its place.
    let streaming = false;
    for (let round = 0; round < 1_000 && !streaming; round++) {
      await server.notifyResourceUpdated("test://watched");
      const attempt = await server.fetch(
        modernRequest({ method: "subscriptions/listen", params: { notifications: { toolsListChanged: true } } }),
      );
      streaming = attempt.headers.get("content-type") === "text/event-stream";
      if (streaming) await attempt.body?.cancel();
      else expect(((await attempt.json()) as { error: { code: number } }).error.code).toBe(-32603);
    }
    expect(streaming).toBe(true);
    await server.close();
  });
});
