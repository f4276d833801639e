// The principal inside the server: ctx.auth, session binding, and no token anywhere it is kept.
import { describe, expect, it } from "vitest";
import { InMemoryEventStore, InMemorySessionStore, type JsonRpcMessage, type SessionStore } from "../../src/index.js";
import type { SessionRecord } from "../../src/storage.js";
import { BASE, initializeRequest, post, SseReader } from "../helpers.js";
import { authedServer, bearer, TOKENS } from "./fixtures.js";

async function openAs(fetch: (request: Request) => Promise<Response>, token: string): Promise<Record<string, string>> {
  const response = await post(fetch, initializeRequest(), bearer(token));
  expect(response.status).toBe(200);
  await response.text();
  const session = {
    "mcp-session-id": response.headers.get("mcp-session-id") ?? "",
    "mcp-protocol-version": "2025-11-25",
  };
  const initialized = await post(
    fetch,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { ...session, ...bearer(token) },
  );
  expect(initialized.status).toBe(202);
  return session;
}

async function rpc(response: Response): Promise<{ result?: Record<string, unknown>; error?: { code: number } }> {
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) {
    const reader = new SseReader(response);
    for (;;) {
      const event = await reader.next();
      if (event === undefined) throw new Error("stream ended without a response");
      const message = event.message as JsonRpcMessage | undefined;
      if (typeof message === "object" && message !== null && ("result" in message || "error" in message)) {
        return message as never;
      }
    }
  }
  return (await response.json()) as never;
}

describe("auth: the principal in the server", () => {
  it("hands handlers the principal as ctx.auth, with implied scopes, never the token", async () => {
    const server = authedServer();
    const session = await openAs(server.fetch, "alice-admin");
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: {} } },
      { ...session, ...bearer("alice-admin") },
    );
    const body = await rpc(response);
    const text = ((body.result?.content ?? []) as Array<{ text: string }>)[0]?.text ?? "";
    const auth = JSON.parse(text) as Record<string, unknown>;
    expect(auth.subject).toBe("alice");
    expect(auth.scopes).toEqual(["mcp", "admin", "read", "write"]);
    expect(auth.claims).toEqual({ sub: "alice", scope: "mcp admin" });
    expect(text).not.toContain("alice-admin");
  });

  it("carries the expiry when the verifier knows it", async () => {
    const server = authedServer({ stateless: true });
    const response = await post(
      server.fetch,
      { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "whoami", arguments: {} } },
      { ...bearer("alice-read"), accept: "application/json" },
    );
    const body = await rpc(response);
    const auth = JSON.parse(((body.result?.content ?? []) as Array<{ text: string }>)[0]?.text ?? "") as Record<
      string,
      unknown
    >;
    expect(auth.expiresAt).toBe(TOKENS["alice-read"]?.expiresAt);
  });

  it("binds a session to the principal's subject: another principal gets 404, a new token of the same one is served", async () => {
    const server = authedServer();
    const session = await openAs(server.fetch, "alice-read");
    const ping = { jsonrpc: "2.0", id: 2, method: "ping" };
    const asBob = await post(server.fetch, ping, { ...session, ...bearer("bob-read") });
    expect(asBob.status).toBe(404);
    const asAliceAgain = await post(server.fetch, ping, { ...session, ...bearer("alice-admin") });
    expect(asAliceAgain.status).toBe(200);
    const withoutToken = await post(server.fetch, ping, session);
    expect(withoutToken.status).toBe(401);
    const get = await server.fetch(
      new Request(BASE, { headers: { accept: "text/event-stream", ...session, ...bearer("bob-read") } }),
    );
    expect(get.status).toBe(404);
    const remove = await server.fetch(
      new Request(BASE, { method: "DELETE", headers: { ...session, ...bearer("bob-read") } }),
    );
    expect(remove.status).toBe(404);
  });

  it("lets an explicit authSubject decide the bound subject", async () => {
    const server = authedServer({
      authSubject: (request) => `tenant-1:${request.headers.get("authorization")?.slice(7, 12)}`,
    });
    const session = await openAs(server.fetch, "alice-read");
    const ping = { jsonrpc: "2.0", id: 2, method: "ping" };
    expect((await post(server.fetch, ping, { ...session, ...bearer("alice-admin") })).status).toBe(200);
    expect((await post(server.fetch, ping, { ...session, ...bearer("bob-read") })).status).toBe(404);
  });

  it("keeps no token in session records or stored events", async () => {
    const written: string[] = [];
    class RecordingSessionStore extends InMemorySessionStore {
      override async set(record: SessionRecord, ttlMs: number): Promise<void> {
        written.push(JSON.stringify(record));
        return super.set(record, ttlMs);
      }
    }
    const events = new InMemoryEventStore();
    const originalAppend = events.append.bind(events);
    events.append = async (streamId, message) => {
      written.push(JSON.stringify(message));
      return originalAppend(streamId, message);
    };
    const store: SessionStore = new RecordingSessionStore();
    const server = authedServer({ sessionStore: store, eventStore: events, responseMode: "sse" });
    server.tool("chatty", { description: "logs and reports progress" }, async (_args, ctx) => {
      await ctx.log("info", { who: ctx.auth?.subject });
      await ctx.progress(1, 2);
      return { content: [{ type: "text", text: `hello ${ctx.auth?.subject}` }] };
    });
    const session = await openAs(server.fetch, "alice-admin");
    await post(
      server.fetch,
      { jsonrpc: "2.0", id: 5, method: "logging/setLevel", params: { level: "debug" } },
      {
        ...session,
        ...bearer("alice-admin"),
      },
    ).then((response) => response.text());
    const call = await post(
      server.fetch,
      {
        jsonrpc: "2.0",
        id: 6,
        method: "tools/call",
        params: { name: "chatty", arguments: {}, _meta: { progressToken: "p" } },
      },
      { ...session, ...bearer("alice-admin") },
    );
    const body = await rpc(call);
    expect(body.result).toBeDefined();
    expect(written.length).toBeGreaterThan(2);
    expect(written.join("\n")).toContain('"authSubject":"alice"');
    for (const token of Object.keys(TOKENS)) expect(written.join("\n")).not.toContain(token);
    expect(written.join("\n")).not.toMatch(/bearer/i);
  });
});
