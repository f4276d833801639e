// @mcp-edge/node with the real core: what a user gets from `serve(new McpServer(...))`.
import { McpServer } from "@mcp-edge/core";
import { SseReader } from "@mcp-edge/test-support/wire";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerHandle, serve } from "../src/index.js";
import { aborted, deferred } from "./helpers.js";

const open: ServerHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((handle) => handle.close()));
});

const bothAccepted = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
};

function callSlow(url: string, init: { signal?: AbortSignal } = {}) {
  return fetch(`${url}/mcp`, {
    method: "POST",
    headers: bothAccepted,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "slow", arguments: {}, _meta: { progressToken: "p1" } },
    }),
    ...init,
  });
}

describe("serve(McpServer)", () => {
  it("streams a tool's progress notification before the tool has finished", async () => {
    const release = deferred();
    let finished = false;
    const server = new McpServer({ name: "node-test", version: "1.0.0", stateless: true });
    server.tool("slow", { description: "Reports progress, then waits to be released" }, async (_args, ctx) => {
      await ctx.progress(1, 2, "half way");
      await release.promise;
      finished = true;
      return { content: [{ type: "text", text: "done" }] };
    });
    const handle = await serve(server, { port: 0, handleSignals: false });
    open.push(handle);

    const response = await callSlow(handle.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    if (!response.body) throw new Error("no body");
    const events = new SseReader(response.body);

    expect(await events.nextData()).toMatchObject({
      method: "notifications/progress",
      params: { progressToken: "p1", progress: 1, total: 2 },
    });
    expect(finished).toBe(false);
    release.resolve();
    expect(await events.nextData()).toMatchObject({ id: 7, result: { content: [{ type: "text", text: "done" }] } });
    expect(finished).toBe(true);
  });

  it("aborts the tool's ctx.signal when the client disconnects mid-stream", async () => {
    const toolSignal = deferred<AbortSignal>();
    const server = new McpServer({ name: "node-test", version: "1.0.0", stateless: true });
    server.tool("slow", { description: "Reports progress, then waits for cancellation" }, async (_args, ctx) => {
      await ctx.progress(1);
      toolSignal.resolve(ctx.signal);
      await aborted(ctx.signal);
      return { content: [{ type: "text", text: "cancelled" }] };
    });
    const handle = await serve(server, { port: 0, handleSignals: false });
    open.push(handle);

    const client = new AbortController();
    const response = await callSlow(handle.url, { signal: client.signal });
    if (!response.body) throw new Error("no body");
    const events = new SseReader(response.body);
    expect(await events.nextData()).toMatchObject({ method: "notifications/progress" });
    const signal = await toolSignal.promise;
    expect(signal.aborted).toBe(false);

    client.abort();

    await aborted(signal);
    expect(signal.aborted).toBe(true);
  });
});
