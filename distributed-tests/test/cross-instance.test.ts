/**
 * The distributed pattern, every cross-instance promise of the distributed pattern: two real example server processes
 * (MCP_MODE=stateful, one shared store) behind a round-robin proxy, for each backend. Where a bullet needs
 * a request to land on a chosen instance, the official SDK client (or raw fetch, where the SDK hides what
 * must be seen) is pointed at that instance directly; the proxy test shows any request may land anywhere.
 */

import type { ExampleServer } from "@mcp-edge/test-support";
import { UPSTREAM_HEADER } from "@mcp-edge/test-support";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../src/backends.js";
import { type Deployment, startDeployment } from "../src/deployment.js";
import { connectSdk, type SdkClient } from "../src/sdk.js";
import {
  callTool,
  deleteSession,
  openGet,
  openSession,
  post,
  readResponse,
  rpc,
  type SseEvent,
  SseReader,
} from "../src/wire.js";

const WATCHED = "test://watched-resource";
const OTHER = "test://static-text";

describe.each(BACKENDS)("distributed pattern over $name: two instances behind a round-robin proxy", (backend) => {
  let d: Deployment;
  let A: ExampleServer;
  let B: ExampleServer;
  const clients: SdkClient[] = [];
  const readers: SseReader[] = [];

  beforeAll(async () => {
    d = await startDeployment(backend, { label: "cross" });
    [A, B] = d.instances as [ExampleServer, ExampleServer];
  });

  afterEach(async () => {
    for (const reader of readers.splice(0)) await reader.cancel();
    for (const sdk of clients.splice(0)) {
      await sdk.transport.terminateSession().catch(() => {});
      await sdk.client.close();
    }
    // Neither instance died or reported an unhandled failure along the way.
    for (const instance of d.instances) {
      expect(instance.alive(), `instance ${instance.instanceId} exited: ${instance.stderr()}`).toBe(true);
      expect(instance.stderr()).not.toMatch(/unhandled|uncaught/i);
    }
  });

  afterAll(async () => {
    await d?.stop();
  });

  /** An SDK client whose requests go where `route` says; closed after the test. */
  async function sdk(...args: Parameters<typeof connectSdk>): Promise<SdkClient> {
    const connected = await connectSdk(...args);
    clients.push(connected);
    return connected;
  }

  function reader(response: Response): SseReader {
    const r = new SseReader(response);
    readers.push(r);
    return r;
  }

  const toggle = (url: string, sessionId: string, present: boolean) =>
    callTool(url, sessionId, "toggle_demo_tool", { present });

  it("serves one session from either instance: the proxy rotates on every request", async () => {
    const sessionId = await openSession(d.url);
    const answeredBy: string[] = [];
    const upstreams: string[] = [];
    for (let i = 0; i < 6; i++) {
      const message = rpc("tools/call", { name: "whoami", arguments: {} });
      const response = await post(d.url, sessionId, message);
      upstreams.push(response.headers.get(UPSTREAM_HEADER) ?? "");
      const result = (await readResponse(response, message.id ?? undefined)).result;
      expect(result?.structuredContent).toMatchObject({ sessionId });
      answeredBy.push((result?.structuredContent as { instanceId?: string } | undefined)?.instanceId ?? "");
    }
    expect(new Set(answeredBy)).toEqual(new Set(["a", "b"]));
    // Strict rotation: never the same instance twice in a row, and the header names who answered.
    for (let i = 1; i < answeredBy.length; i++) expect(answeredBy[i]).not.toBe(answeredBy[i - 1]);
    for (let i = 0; i < answeredBy.length; i++) {
      expect(upstreams[i]).toBe(answeredBy[i] === "a" ? A.origin : B.origin);
    }
    expect((await deleteSession(d.url, sessionId)).status).toBe(200);
  });

  it("notifications raised on B reach the session's GET stream held by A", async () => {
    // The SDK's GET stream goes to A; every POST (and so every tool that raises something) to B.
    const client = await sdk(({ method }) => (method === "GET" ? A.url : B.url));
    await client.getStreamOpen(A.url);
    await client.client.subscribeResource({ uri: WATCHED });

    const listChanged = client.notifications.next((n) => n.method === "notifications/tools/list_changed");
    await client.client.callTool({ name: "toggle_demo_tool", arguments: { present: true } });
    await listChanged;

    const updated = client.notifications.next((n) => n.method === "notifications/resources/updated");
    const raised = await client.client.callTool({ name: "notify_resource_updated", arguments: { uri: WATCHED } });
    expect(raised.isError).toBeFalsy();
    expect((await updated).params).toEqual({ uri: WATCHED });

    const listChangedAgain = client.notifications.next((n) => n.method === "notifications/tools/list_changed");
    await client.client.callTool({ name: "toggle_demo_tool", arguments: { present: false } });
    await listChangedAgain;

    // Only A ever held a GET stream; B served every POST.
    const requests = client.log.items;
    expect(requests.filter((r) => r.method === "GET").every((r) => r.target === A.url)).toBe(true);
    expect(requests.filter((r) => r.method === "POST").every((r) => r.target === B.url)).toBe(true);
  });

  it("a server-to-client request raised on B goes out on the GET stream held by A; the reply resolves it on B", async () => {
    const sessionId = await openSession(A.url, { capabilities: { sampling: {} } });
    const stream = reader(await openGet(A.url, sessionId));
    // Accept: application/json alone: this POST cannot carry the sampling request, so B must route it
    // to wherever the session's GET stream is held.
    const call = rpc("tools/call", { name: "test_sampling", arguments: { prompt: "cross-instance?" } });
    const pending = post(B.url, sessionId, call, { accept: "application/json" });
    const [request] = (await stream.untilMethod("sampling/createMessage")).slice(-1) as [SseEvent];
    expect(request.id).toBeTruthy(); // stored for replay like any event of the stream
    expect(request.message?.params).toMatchObject({
      messages: [{ role: "user", content: { type: "text", text: "cross-instance?" } }],
    });
    const reply = await post(A.url, sessionId, {
      jsonrpc: "2.0",
      id: request.message?.id,
      result: { role: "assistant", model: "test-model", content: { type: "text", text: "yes, via A" } },
    });
    expect(reply.status).toBe(202);
    const answer = await readResponse(await pending, call.id ?? undefined);
    expect(answer.result?.content).toEqual([{ type: "text", text: "LLM response: yes, via A" }]);
    expect((await deleteSession(B.url, sessionId)).status).toBe(200);
  });

  describe.each([
    ["sampling", "test_sampling", { prompt: "What is 2+2?" }, [{ type: "text", text: "LLM response: 4" }]],
    ["elicitation", "test_elicitation", { message: "Who are you?" }],
    ["roots", "list_roots", {}],
  ] as const)("a %s reply that lands on B", (kind, tool, args, expectedContent?: unknown) => {
    it(`resolves the ${tool} call waiting on A`, async () => {
      // Requests (the tool call) go to A, responses (the client's reply) and everything else to B.
      const client = await sdk(({ method, kind: body }) => (method === "POST" && body === "request" ? A.url : B.url), {
        capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
        setup: (c) => {
          c.setRequestHandler(CreateMessageRequestSchema, async () => ({
            role: "assistant",
            model: "test-model",
            content: { type: "text", text: "4" },
          }));
          c.setRequestHandler(ElicitRequestSchema, async () => ({
            action: "accept",
            content: { username: "ada", email: "ada@example.com" },
          }));
          c.setRequestHandler(ListRootsRequestSchema, async () => ({
            roots: [{ uri: "file:///work/project", name: "project" }],
          }));
        },
      });
      const result = await client.client.callTool({ name: tool, arguments: args });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      if (kind === "sampling") expect(result.content).toEqual(expectedContent);
      if (kind === "elicitation") {
        expect(JSON.stringify(result.content)).toContain("ada@example.com");
        expect(JSON.stringify(result.content)).toMatch(/accept/);
      }
      if (kind === "roots") {
        expect(result.structuredContent).toEqual({ roots: [{ uri: "file:///work/project", name: "project" }] });
      }
      const calls = client.log.items.filter((r) => r.rpcMethod === "tools/call");
      const replies = client.log.items.filter((r) => r.kind === "response");
      expect(calls.map((r) => r.target)).toEqual([A.url]);
      expect(replies.map((r) => r.target)).toEqual([B.url]);
      // B accepts the reply once it has passed it on, so the result may reach the client (from A) first.
      const accepted = await client.answered.waitFor((r) => r.kind === "response");
      expect(accepted.status).toBe(202);
    });
  });

  describe("a resource subscription made through A", () => {
    it.each([
      ["A", "the GET stream held by A"],
      ["B", "the GET stream held by B"],
    ])("gets the update raised on B, on %s's GET stream (%s)", async (getOn) => {
      let postTo = A.url;
      const getUrl = getOn === "A" ? A.url : B.url;
      const client = await sdk(({ method }) => (method === "GET" ? getUrl : postTo));
      await client.getStreamOpen(getUrl);
      await client.client.subscribeResource({ uri: WATCHED }); // through A

      postTo = B.url;
      const updated = client.notifications.next((n) => n.method === "notifications/resources/updated");
      await client.client.callTool({ name: "notify_resource_updated", arguments: { uri: WATCHED } });
      expect((await updated).params).toEqual({ uri: WATCHED });

      // Unsubscribed (through B): an update raised on A no longer arrives. list_changed raised after it on
      // the same instance is the marker: broadcasts arrive in order, so nothing can still be on its way.
      await client.client.unsubscribeResource({ uri: WATCHED });
      postTo = A.url;
      const marker = client.notifications.next((n) => n.method === "notifications/tools/list_changed");
      const before = client.notifications.items.length;
      await client.client.callTool({ name: "notify_resource_updated", arguments: { uri: WATCHED } });
      await client.client.callTool({ name: "notify_resource_updated", arguments: { uri: OTHER } });
      await client.client.callTool({ name: "toggle_demo_tool", arguments: { present: true } });
      await marker;
      await client.client.callTool({ name: "toggle_demo_tool", arguments: { present: false } });
      const since = client.notifications.items.slice(before);
      expect(since.filter((n) => n.method === "notifications/resources/updated")).toEqual([]);
    });
  });

  it("a list_changed broadcast reaches sessions connected to every instance", async () => {
    const onA = await sdk(() => A.url);
    const onB = await sdk(() => B.url);
    await Promise.all([onA.getStreamOpen(A.url), onB.getStreamOpen(B.url)]);
    const both = () =>
      Promise.all([onA, onB].map((c) => c.notifications.next((n) => n.method === "notifications/tools/list_changed")));

    // Raised on A: both sessions hear it.
    let heard = both();
    const added = await onA.client.callTool({ name: "toggle_demo_tool", arguments: { present: true } });
    expect(added.structuredContent).toEqual({ present: true, changed: true, instanceId: "a" });
    await heard;
    const toolsOnA = await onA.client.listTools();
    expect(toolsOnA.tools.map((t) => t.name)).toContain("demo_toggled");

    // Raised on B: both hear it too.
    heard = both();
    await onB.client.callTool({ name: "toggle_demo_tool", arguments: { present: true } });
    await heard;

    for (const [client, id] of [
      [onA, "a"],
      [onB, "b"],
    ] as const) {
      heard = both();
      const removed = await client.client.callTool({ name: "toggle_demo_tool", arguments: { present: false } });
      expect(removed.structuredContent).toEqual({ present: false, changed: true, instanceId: id });
      await heard;
    }
  });

  describe("GET + Last-Event-ID on B", () => {
    /** A countdown on A, read to its end: the priming event, logs and progress, then the response. */
    async function countdownOnA(sessionId: string, token: string): Promise<SseEvent[]> {
      const call = rpc("tools/call", {
        name: "countdown",
        arguments: { from: 3, intervalMs: 0 },
        _meta: { progressToken: token },
      });
      const events = await new SseReader(await post(A.url, sessionId, call)).rest();
      expect(events.at(-1)?.message?.id).toBe(call.id);
      return events;
    }
    const withData = (events: SseEvent[]) => events.filter((e) => e.message !== undefined);

    it("replays the events A wrote, and only that stream's", async () => {
      const sessionId = await openSession(A.url);
      // Other streams of the same session that have events of their own: the standalone GET stream on A
      // and a second POST stream.
      const standalone = reader(await openGet(A.url, sessionId));
      await toggle(A.url, sessionId, true);
      await standalone.untilMethod("notifications/tools/list_changed");
      const first = await countdownOnA(sessionId, "first");
      const second = await countdownOnA(sessionId, "second");
      await toggle(A.url, sessionId, false);
      await standalone.untilMethod("notifications/tools/list_changed");

      expect(first[0]?.message).toBeUndefined(); // the priming event: an id and no data
      expect(withData(first).length).toBeGreaterThanOrEqual(8); // 4 logs, 4 progress, the response
      for (const event of withData(first)) expect(event.id).toBeTruthy();

      // From the priming event: everything after it; from the middle: the rest (then the stream ends).
      for (const from of [0, 3]) {
        const lastEventId = first[from]?.id ?? "";
        const response = await openGet(B.url, sessionId, lastEventId);
        expect(response.status).toBe(200);
        const replayed = await new SseReader(response).rest(); // a finished POST stream: ends after replay
        const expected = withData(first.slice(from + 1));
        expect(replayed.map((e) => ({ id: e.id, message: e.message }))).toEqual(
          expected.map((e) => ({ id: e.id, message: e.message })),
        );
      }
      // The other POST stream from its priming event: exactly its own events.
      const replayedSecond = await new SseReader(await openGet(B.url, sessionId, second[0]?.id)).rest();
      expect(replayedSecond.map((e) => e.id)).toEqual(withData(second).map((e) => e.id));
      expect(replayedSecond.map((e) => e.message?.params?.progressToken).filter(Boolean)).not.toContain("first");
    });

    it("never replays another session's stream", async () => {
      const owner = await openSession(A.url);
      const events = await countdownOnA(owner, "owner");
      const stranger = await openSession(B.url);
      // The stranger presents the owner's event id: it gets its own standalone stream, nothing replayed.
      const stream = reader(await openGet(B.url, stranger, events[0]?.id));
      await toggle(A.url, stranger, true); // a marker: the first event it may see
      const [first] = await stream.until((e) => e.message !== undefined);
      expect(first?.message?.method).toBe("notifications/tools/list_changed");
      await toggle(A.url, stranger, false);
    });

    it("resumes a stream A cut mid-call and carries on live: the SDK client's tool call completes", async () => {
      // test_reconnection closes its SSE connection at once and answers later; the SDK resumes with
      // GET + Last-Event-ID, which goes to B while A is still working.
      const client = await sdk(({ method }) => (method === "GET" ? B.url : A.url));
      const result = await client.client.callTool({ name: "test_reconnection", arguments: {} });
      expect(JSON.stringify(result.content)).toContain("Reconnection test completed");
      const resumed = client.log.items.filter((r) => r.method === "GET" && r.lastEventId !== undefined);
      expect(resumed.length).toBeGreaterThanOrEqual(1);
      expect(resumed.every((r) => r.target === B.url && r.status === 200)).toBe(true);
    });
  });

  it("DELETE through B ends the session for A: its GET stream closes, its pending request ends, then 404", async () => {
    const sessionId = await openSession(A.url, { capabilities: { sampling: {} } });
    const standalone = reader(await openGet(A.url, sessionId));
    const call = rpc("tools/call", { name: "test_sampling", arguments: { prompt: "never answered" } });
    const waiting = reader(await post(A.url, sessionId, call));
    await waiting.untilMethod("sampling/createMessage");

    const deleted = await deleteSession(B.url, sessionId);
    expect(deleted.status).toBe(200);

    // A's GET stream ends, and so does the tool call A was holding (answered, not left hanging).
    await standalone.rest();
    expect(standalone.ended).toBe(true);
    const tail = await waiting.rest();
    const answer = tail.find((e) => e.message?.id === call.id)?.message;
    expect(answer).toBeDefined();
    expect(answer?.error !== undefined || answer?.result?.isError === true).toBe(true);

    for (const url of [A.url, B.url]) {
      const ping = await post(url, sessionId, rpc("ping"));
      expect(ping.status).toBe(404);
      await ping.body?.cancel();
      const get = await openGet(url, sessionId);
      expect(get.status).toBe(404);
      await get.body?.cancel();
    }
    expect((await deleteSession(A.url, sessionId)).status).toBe(404);
  });
});
