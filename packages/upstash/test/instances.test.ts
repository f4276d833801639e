import { type JsonRpcMessage, McpServer } from "@mcp-edge/core";
import { openSession } from "@mcp-edge/storage-contract";
import { SseReader } from "@mcp-edge/test-support/wire";
import { describe, expect, it } from "vitest";
import { UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "../src/index.js";
import { useUpstashBridge } from "./bridge.js";
import { client, TOKEN, testPrefix } from "./support.js";

// Two core instances on Upstash (the real @upstash/redis client, the REST protocol through the bridge,
// a real redis-server): a broadcast raised while the client's stream is gone is in its log.

const BASE = "http://localhost/mcp";

const bridgeUrl = useUpstashBridge();

function instance(prefix: string): McpServer {
  const url = bridgeUrl();
  const server = new McpServer({
    name: "t",
    version: "1",
    stateless: false,
    sessionStore: new UpstashSessionStore({ client: client(url), prefix }),
    streamManager: new UpstashStreamManager({ client: client(url), url, token: TOKEN, prefix }),
    eventStore: new UpstashEventStore({ client: client(url), prefix }),
    onError: () => {},
  });
  server.resource("test://watched", { name: "w" }, async (uri) => ({ contents: [{ uri: uri.href, text: "" }] }));
  return server;
}

function request(server: McpServer, init: { method?: string; body?: unknown; headers?: Record<string, string> }) {
  const headers: Record<string, string> = { accept: "application/json, text/event-stream", ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return server.fetch(
    new Request(BASE, {
      method: init.method ?? "GET",
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );
}

async function nextMessage(stream: SseReader): Promise<{ id?: string; message: JsonRpcMessage } | undefined> {
  for (let event = await stream.next(); event; event = await stream.next()) {
    if (event.data.trim() !== "")
      return { ...(event.id === undefined ? {} : { id: event.id }), message: JSON.parse(event.data) };
  }
  return undefined;
}

function reader(response: Response): SseReader {
  if (!response.body) throw new Error(`no body (status ${response.status})`);
  return new SseReader(response.body);
}

const info = (data: unknown) => ({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data } });

describe("two instances on Upstash", () => {
  it("replays on one instance the broadcasts raised while the other held, then lost, the client's stream", async () => {
    const prefix = testPrefix();
    const a = instance(prefix);
    const b = instance(prefix);
    const headers = await openSession((body, extra) => request(a, { method: "POST", body, headers: extra ?? {} }));
    const subscribe = { jsonrpc: "2.0", id: 1, method: "resources/subscribe", params: { uri: "test://watched" } };
    await (await request(b, { method: "POST", body: subscribe, headers })).text();

    const onA = reader(await request(a, { headers: { ...headers, accept: "text/event-stream" } }));
    await b.sendNotification("notifications/message", { level: "info", data: 0 });
    const first = await nextMessage(onA);
    expect(first?.message).toEqual(info(0));
    await a.close();
    expect(await onA.next()).toBeUndefined();

    for (let n = 1; n <= 5; n++) await b.sendNotification("notifications/message", { level: "info", data: n });
    await b.notifyResourceUpdated("test://other");
    await b.notifyResourceUpdated("test://watched");
    const onB = reader(
      await request(b, { headers: { ...headers, accept: "text/event-stream", "last-event-id": first?.id ?? "" } }),
    );
    const seen: unknown[] = [];
    for (let n = 0; n < 6; n++) seen.push((await nextMessage(onB))?.message);
    expect(seen).toEqual([
      info(1),
      info(2),
      info(3),
      info(4),
      info(5),
      { jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: "test://watched" } },
    ]);
    await onB.cancel();
    await b.close();
  });
});
