// Sessions kept in Durable Objects, in real workerd: the Worker runs the MCP server and holds the
// client's streams; every session's record, event logs and channels live in its own object.
import { eventually } from "@mcp-edge/storage-contract";
import { SseReader, type WireMessage } from "@mcp-edge/test-support/wire";
import { afterEach, describe, expect, it } from "vitest";
import { callTool, deleteSession, getStream, openSession, post, type Session } from "./client.js";
import { type DurableWorker, startDurableWorker } from "./harness.js";

let worker: DurableWorker | undefined;

afterEach(async () => {
  await worker?.dispose();
  worker = undefined;
});

async function start(bindings: Record<string, string> = {}): Promise<DurableWorker> {
  worker = await startDurableWorker(bindings);
  return worker;
}

async function text(response: Response): Promise<string | undefined> {
  const body = await response.text();
  const json = body.startsWith("{")
    ? body
    : body
        .split("\n")
        .find((line) => line.startsWith("data: {"))
        ?.slice(6);
  return (JSON.parse(json ?? "{}") as WireMessage).result?.content?.[0]?.text;
}

describe("sessions in Durable Objects", () => {
  it("initialize mints the id; the session's object keeps it; an unknown id answers 404", async () => {
    const w = await start();
    const session = await openSession(w);
    expect(session.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await w.keys(session.id)).keys).toEqual(["session"]);
    expect(await text(await callTool(w, session, 1, "add", { a: 2, b: 3 }))).toBe("5");
    const unknown = await callTool(
      w,
      { ...session, headers: { ...session.headers, "mcp-session-id": "f".repeat(32) } },
      2,
      "add",
      { a: 1, b: 1 },
    );
    expect(unknown.status).toBe(404);
    await unknown.text();
  });

  it("DELETE removes every key and the alarm of the session's object; the id then answers 404", async () => {
    const w = await start();
    const session = await openSession(w);
    const logged = await callTool(w, session, 1, "log");
    await logged.text();
    const before = await w.keys(session.id);
    expect(before.keys.length).toBeGreaterThan(1);
    expect(before.alarm).not.toBeNull();
    const gone = await deleteSession(w, session);
    expect(gone.status).toBe(200);
    await gone.text();
    expect(await w.keys(session.id)).toEqual({ keys: [], alarm: null });
    const after = await callTool(w, session, 2, "add", { a: 1, b: 1 });
    expect(after.status).toBe(404);
    await after.text();
  });

  it("expires an idle session by alarm: the object deletes everything, the id answers 404", async () => {
    const w = await start({ IDLE_MS: "1000" });
    const session = await openSession(w);
    await (await callTool(w, session, 1, "log")).text();
    expect((await w.keys(session.id)).keys.length).toBeGreaterThan(1);
    await w.resetCounts();
    // Nothing reads the session meanwhile, so only the alarm can remove it.
    await eventually(async () => expect(await w.keys(session.id)).toEqual({ keys: [], alarm: null }));
    expect((await w.counts()).alarmsRun).toBeGreaterThan(0);
    const after = await callTool(w, session, 2, "add", { a: 1, b: 1 });
    expect(after.status).toBe(404);
    await after.text();
  });
});

/**
 * Opens the session's GET stream, sends one notification to it and reads it live, disconnects, then
 * sends a second one (logged for a resume). Returns the id of the event read live.
 */
async function notifyLiveThenAway(w: DurableWorker, session: Session): Promise<string> {
  const standalone = new SseReader<WireMessage>(await getStream(w, session));
  await (await callTool(w, session, 100, "notify", { text: "first" })).text();
  const live = await standalone.nextMessage();
  expect(live?.message?.params?.data).toBe("first");
  await standalone.cancel();
  await (await callTool(w, session, 101, "notify", { text: "second" })).text();
  if (!live?.id) throw new Error("the live event has no id");
  return live.id;
}

/** A GET with `Last-Event-ID` replays what came after it: the second notification. */
async function expectReplayAfter(w: DurableWorker, session: Session, lastEventId: string): Promise<void> {
  // workerd notices a client that went away when it next writes to it (a keepalive): until then the
  // session still has its GET stream here, and a second one is refused with 409.
  const response = await eventually(async () => {
    const answer = await getStream(w, session, lastEventId);
    if (answer.status !== 200) await answer.text();
    expect(answer.status).toBe(200);
    return answer;
  });
  const replay = new SseReader<WireMessage>(response);
  const replayed = await replay.nextMessage();
  expect(replayed?.message?.params?.data).toBe("second");
  expect(replayed?.id).not.toBe(lastEventId);
  await replay.cancel();
}

describe("an object evicted or restarted mid-session", () => {
  it("carries on: the next request, a pending elicitation and a replay with Last-Event-ID all work", async () => {
    const w = await start({ KEEPALIVE_MS: "250" });
    const session = await openSession(w, { elicitation: {} });

    // The standalone stream hears one notification live; the next one comes while the client is away.
    const seen = await notifyLiveThenAway(w, session);

    // A tool waits for the user's answer...
    const call = new SseReader<WireMessage>(await callTool(w, session, 2, "elicit"));
    const asked = await call.nextData();
    expect(asked?.method).toBe("elicitation/create");

    // ...while the session's object loses its memory and its WebSockets.
    const started = (await w.counts()).objectsStarted;
    await w.reset(session.id);

    const answered = await post(w, session, {
      jsonrpc: "2.0",
      id: asked?.id,
      result: { action: "accept", content: { name: "Ada" } },
    });
    expect(answered.status).toBe(202);
    await answered.text();
    const result = await call.nextData();
    expect(result?.result?.content?.[0]?.text).toBe("accept: Ada");

    expect(await text(await callTool(w, session, 3, "add", { a: 20, b: 22 }))).toBe("42");
    // The object really was built again (from its storage).
    expect((await w.counts()).objectsStarted).toBeGreaterThan(started);
    await expectReplayAfter(w, session, seen);
  });

  it("carries on after workerd restarts over the same storage: same session, capabilities and replay", async () => {
    const w = await start();
    const session = await openSession(w, { elicitation: {} });
    const seen = await notifyLiveThenAway(w, session);

    await w.restart();

    expect((await w.keys(session.id)).keys).toContain("session");
    expect(await text(await callTool(w, session, 2, "add", { a: 1, b: 2 }))).toBe("3");
    await expectReplayAfter(w, session, seen);
    // The capabilities declared at initialize came back from storage: elicitation is still allowed.
    const call = new SseReader<WireMessage>(await callTool(w, session, 3, "elicit"));
    const asked = await call.nextData();
    expect(asked?.method).toBe("elicitation/create");
    await (await post(w, session, { jsonrpc: "2.0", id: asked?.id, result: { action: "decline" } })).text();
    expect((await call.nextData())?.result?.content?.[0]?.text).toBe("decline: undefined");
  });
});

describe("broadcasts", () => {
  it("reach every live session, each held by its own object, and are logged for each", async () => {
    const w = await start();
    const sessions = [await openSession(w), await openSession(w), await openSession(w)];
    const streams = await Promise.all(
      sessions.map(async (session) => new SseReader<WireMessage>(await getStream(w, session))),
    );
    // A stream is registered for broadcasts once its GET has been answered; wait for all three.
    await eventually(async () => {
      const registry = await w.keys("registry");
      expect(registry.keys.filter((key) => key.startsWith("lis:")).length).toBe(3);
    });
    const [first] = sessions;
    if (!first) throw new Error("no session");
    expect(await text(await callTool(w, first, 1, "grow"))).toBe("extra-1");
    for (const stream of streams) {
      const heard = await stream.nextMessage();
      expect(heard?.message?.method).toBe("notifications/tools/list_changed");
      expect(heard?.id).toMatch(/\.get_0-\d+$/);
    }
    for (const session of sessions) {
      expect((await w.keys(session.id)).keys.some((key) => key.startsWith(`ev:${session.id}.get`))).toBe(true);
    }
    await Promise.all(streams.map((stream) => stream.cancel()));
  });
});
