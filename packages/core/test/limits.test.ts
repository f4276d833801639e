import { describe, expect, it } from "vitest";
import { McpServer } from "../src/index.js";
import { openSession, post, SseReader } from "./helpers.js";
import { drain, openGet, take } from "./streams.js";

describe("limits", () => {
  it("refuses GET streams past maxStreamsPerInstance with 503 and an error naming the limit, and admits again once one closes", async () => {
    const server = new McpServer({ name: "t", version: "1", stateless: false, maxStreamsPerInstance: 2 });
    const sessions = [
      await openSession(server.fetch),
      await openSession(server.fetch),
      await openSession(server.fetch),
    ];
    const [a, b, c] = sessions as [Record<string, string>, Record<string, string>, Record<string, string>];
    const first = await openGet(server.fetch, a);
    expect((await openGet(server.fetch, b)).status).toBe(200);
    for (const refused of [
      await openGet(server.fetch, c),
      // Resuming counts too, whatever the id names.
      await openGet(server.fetch, c, `${c["mcp-session-id"]}.get_0`),
      await openGet(server.fetch, c, `${c["mcp-session-id"]}.0123456789abcdef01.n1_0`),
    ]) {
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).not.toBeNull();
      expect(await refused.json()).toMatchObject({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32004, message: expect.stringContaining("maxStreamsPerInstance = 2") },
      });
    }
    await first.body?.cancel();
    expect((await openGet(server.fetch, c)).status).toBe(200);
  });

  it("fails a server-to-client request past maxPendingServerRequestsPerSession with an error naming the limit", async () => {
    const server = new McpServer({ name: "t", version: "1", stateless: false, maxPendingServerRequestsPerSession: 1 });
    server.tool("ask-twice", {}, async (_args, ctx) => {
      const ask = () =>
        ctx.sample({ messages: [{ role: "user", content: { type: "text", text: "?" } }], maxTokens: 1 });
      const first = ask();
      const second = await ask().then(
        () => "answered",
        (error: Error) => error.message,
      );
      first.catch(() => {});
      return { content: [{ type: "text", text: second }] };
    });
    const headers = await openSession(server.fetch, { sampling: {} });
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "ask-twice" } },
      headers,
    );
    const reader = new SseReader(response);
    const [asked] = await take(reader, 1);
    expect(asked?.message).toMatchObject({ method: "sampling/createMessage" });
    const rest = await drain(reader);
    expect(rest.at(-1)).toMatchObject({
      id: 3,
      result: { content: [{ type: "text", text: expect.stringContaining("maxPendingServerRequestsPerSession = 1") }] },
    });
  });
  it("answers requests past maxInFlightRequestsPerSession with -32004 naming the limit, and admits again once one is answered", async () => {
    const server = new McpServer({ name: "t", version: "1", stateless: false, maxInFlightRequestsPerSession: 2 });
    const gates: Array<() => void> = [];
    server.tool("wait", {}, () => new Promise((resolve) => gates.push(() => resolve({ content: [] }))));
    const headers = await openSession(server.fetch);
    const json = { ...headers, accept: "application/json" };
    const call = (id: number) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "wait" } });
    const held = [post(server.fetch, call(1), json), post(server.fetch, call(2), json)];
    while (gates.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const refused = await post(server.fetch, call(3), json);
    expect(refused.status).toBe(200);
    expect(await refused.json()).toMatchObject({
      id: 3,
      error: { code: -32004, message: expect.stringContaining("maxInFlightRequestsPerSession = 2") },
    });
    gates.shift()?.();
    expect((await held[0])?.status).toBe(200);
    const admitted = post(server.fetch, call(4), json);
    while (gates.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const open of gates.splice(0)) open();
    expect(await (await admitted).json()).toMatchObject({ id: 4, result: { content: [] } });
    await held[1];
  });
});
