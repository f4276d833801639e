// What sessions in Durable Objects cost, counted: requests from the Worker to objects, storage rows
// read and written (what SQLite-backed objects bill), alarms. The numbers are the README's cost
// table; the assertions pin them, so a change that makes a session dearer shows up here.
import { eventually } from "@mcp-edge/storage-contract";
import { initializeBody, MCP_POST_HEADERS, SseReader, type WireMessage } from "@mcp-edge/test-support/wire";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { callTool, getStream, MCP_URL, openSession } from "./client.js";
import { type Counts, type DurableWorker, startDurableWorker } from "./harness.js";

/** How often a held GET stream checks its session here (the default is 15 s; the count per check is what matters). */
const CHECK_MS = 200;

let worker: DurableWorker | undefined;
const table: Record<string, Pick<Counts, "objectRequests" | "rowsRead" | "rowsWritten" | "alarmsSet">> = {};

// A fresh Worker per measurement: streams held by an earlier one (their registrations outlive them
// on purpose) would otherwise be counted too.
beforeEach(async () => {
  worker = await startDurableWorker({ KEEPALIVE_MS: String(CHECK_MS) });
});

afterEach(async () => {
  await worker?.dispose();
  worker = undefined;
});

afterAll(() => {
  console.log(JSON.stringify(table, null, 1));
});

const running = (): DurableWorker => {
  if (!worker) throw new Error("workerd did not start");
  return worker;
};

/** Runs `action` and returns what it cost, once `done` holds (background work included). */
async function measure(label: string, action: () => Promise<unknown>, done: (counts: Counts) => boolean = () => true) {
  const w = running();
  await w.resetCounts();
  await action();
  const counts = await eventually(async () => {
    const now = await w.counts();
    expect(done(now)).toBe(true);
    return now;
  });
  const { objectRequests, rowsRead, rowsWritten, alarmsSet, byOp } = counts;
  table[label] = { objectRequests, rowsRead, rowsWritten, alarmsSet };
  return { objectRequests, rowsRead, rowsWritten, alarmsSet, byOp };
}

async function drain(response: Response): Promise<void> {
  await response.text();
}

describe("cost of sessions in Durable Objects", () => {
  it("initialize: one request and one row written (the record), one alarm", async () => {
    const w = running();
    const cost = await measure("initialize", async () =>
      drain(await w.fetch(MCP_URL, { method: "POST", headers: MCP_POST_HEADERS, body: initializeBody() })),
    );
    expect(cost).toMatchObject({ objectRequests: 1, rowsRead: 0, rowsWritten: 1, alarmsSet: 1 });
  });

  it("notifications/initialized: the record is read and written again", async () => {
    const w = running();
    const init = await w.fetch(MCP_URL, { method: "POST", headers: MCP_POST_HEADERS, body: initializeBody() });
    await drain(init);
    const headers = { ...MCP_POST_HEADERS, "mcp-session-id": init.headers.get("mcp-session-id") ?? "" };
    const cost = await measure("notifications/initialized", async () =>
      drain(
        await w.fetch(MCP_URL, {
          method: "POST",
          headers,
          body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
        }),
      ),
    );
    expect(cost).toMatchObject({ objectRequests: 2, rowsRead: 1, rowsWritten: 1, alarmsSet: 0 });
  });

  it("an ordinary request: one request, one row read, nothing written", async () => {
    const w = running();
    const session = await openSession(w);
    const cost = await measure("tools/call (JSON answer)", async () =>
      drain(await callTool(w, session, 1, "add", { a: 1, b: 2 })),
    );
    expect(cost).toMatchObject({ objectRequests: 1, rowsRead: 1, rowsWritten: 0, alarmsSet: 0 });
  });

  it("a notification on the request's own stream: the stream's events are logged for resumption", async () => {
    const w = running();
    const session = await openSession(w);
    const cost = await measure("tools/call with one log notification (SSE answer)", async () =>
      drain(await callTool(w, session, 1, "log")),
    );
    // The session read, then two appends (the notification, the result), each the event and the stream's counter.
    expect(cost).toMatchObject({ objectRequests: 3, rowsWritten: 4 });
  });

  it("a notification to the session's GET stream: one append and, held elsewhere, one publish", async () => {
    const w = running();
    const session = await openSession(w);
    const standalone = new SseReader<WireMessage>(await getStream(w, session));
    await eventually(async () => expect((await w.keys("registry")).keys).toContain(`lis:${session.id}.get`));
    const cost = await measure(
      "tools/call sending one notification to the GET stream",
      async () => {
        await drain(await callTool(w, session, 1, "notify", { text: "hello" }));
        expect((await standalone.nextMessage())?.message?.params?.data).toBe("hello");
      },
      (counts) => (counts.byOp["events/append"] ?? 0) >= 1,
    );
    expect(cost.byOp["events/append"]).toBe(1);
    await standalone.cancel();
  });

  it("a broadcast to three sessions: one registry read, one append per session, one publish", async () => {
    const w = running();
    const sessions = [await openSession(w), await openSession(w), await openSession(w)];
    const streams = await Promise.all(sessions.map(async (s) => new SseReader<WireMessage>(await getStream(w, s))));
    await eventually(async () => {
      const keys = (await w.keys("registry")).keys;
      for (const s of sessions) expect(keys).toContain(`lis:${s.id}.get`);
    });
    const [first] = sessions;
    if (!first) throw new Error("no session");
    const cost = await measure(
      "tools/call raising tools/list_changed, 3 sessions listening",
      async () => {
        await drain(await callTool(w, first, 1, "grow"));
        for (const stream of streams) {
          expect((await stream.nextMessage())?.message?.method).toBe("notifications/tools/list_changed");
        }
      },
      (counts) => (counts.byOp["channel/publish"] ?? 0) >= 1,
    );
    expect(cost.byOp).toMatchObject({ "listeners/members": 1, "events/append-all": 3, "channel/publish": 1 });
    await Promise.all(streams.map((stream) => stream.cancel()));
  });

  it("an idle session with a GET stream: per check, one request to its object, no writes", async () => {
    const w = running();
    const session = await openSession(w);
    const standalone = new SseReader<WireMessage>(await getStream(w, session));
    await eventually(async () => expect((await w.keys("registry")).keys).toContain(`lis:${session.id}.get`));
    const checks = 10;
    const cost = await measure(
      `idle GET stream, ${checks} checks`,
      async () => {},
      (counts) => (counts.byOp["session/get"] ?? 0) >= checks,
    );
    // Each check reads the session (sliding it) and refreshes the broadcast registration. The
    // deadline's write is skipped while it still covers the next minute; so is the registration's,
    // and this isolate, knowing that, does not even ask the registry.
    expect(Object.keys(cost.byOp)).toEqual(["session/get"]);
    // One row per check. The counts are read while checks go on: the latest check may have been counted
    // as a request and not yet have read its row.
    expect(cost.rowsRead).toBeLessThanOrEqual(cost.objectRequests);
    expect(cost.rowsRead).toBeGreaterThanOrEqual(cost.objectRequests - 1);
    expect(cost.rowsWritten).toBe(0);
    expect(cost.alarmsSet).toBe(0);
    await standalone.cancel();
  });

  it("DELETE: the session's object deletes everything; the end is published and the registration removed", async () => {
    const w = running();
    const session = await openSession(w);
    const cost = await measure("DELETE", async () =>
      drain(await w.fetch(MCP_URL, { method: "DELETE", headers: session.headers })),
    );
    expect(cost.byOp).toEqual({
      "session/get": 1,
      "session/delete": 1,
      "channel/publish": 1,
      "listeners/unregister": 1,
    });
  });

  it("an idle session without a stream: nothing at all", async () => {
    const w = running();
    await openSession(w);
    const cost = await measure("idle, no stream, 5 check periods", async () => {
      await new Promise((resolve) => setTimeout(resolve, 5 * CHECK_MS));
    });
    expect(cost).toMatchObject({ objectRequests: 0, rowsRead: 0, rowsWritten: 0, alarmsSet: 0 });
  });
});
