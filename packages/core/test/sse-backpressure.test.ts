// A client that stops reading an SSE stream cannot make the server hold more than the documented
// number of bytes for it: the connection ends and the client resumes from the event store.
import { describe, expect, it } from "vitest";
import { type SseCloseReason, SseConnection } from "../src/http/sse.js";
import { McpServer } from "../src/index.js";
import { BASE, openSession, SseReader } from "./helpers.js";

const KIB = 1024;

describe("SseConnection buffer limit", () => {
  it("ends the connection with reason 'overflow' once the unread bytes would pass the limit", async () => {
    const reasons: SseCloseReason[] = [];
    const connection = new SseConnection({ maxBufferedBytes: 64 * KIB, onClose: (reason) => reasons.push(reason) });
    const data = "x".repeat(KIB);
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      if (!connection.send({ data })) break;
      accepted++;
    }
    expect(connection.closed).toBe(true);
    expect(reasons).toEqual(["overflow"]);
    // Each event is a little over 1 KiB framed: at most 64 fit.
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(64);
    // The queue was dropped, not kept for a reader that may never come.
    await expect(connection.response.text()).rejects.toThrow();
  });

  it("sends one event larger than the limit when nothing else waits", async () => {
    const connection = new SseConnection({ maxBufferedBytes: KIB });
    expect(connection.send({ data: "y".repeat(10 * KIB) })).toBe(true);
    connection.close();
    expect(await connection.response.text()).toContain("y".repeat(10 * KIB));
  });

  it("keeps a reading client's stream open however much passes through it", async () => {
    const connection = new SseConnection({ maxBufferedBytes: 4 * KIB });
    const reader = connection.response.body?.getReader();
    if (!reader) throw new Error("no body");
    let received = 0;
    for (let i = 0; i < 200; i++) {
      expect(connection.send({ data: "z".repeat(KIB) })).toBe(true);
      const { value } = await reader.read();
      received += value?.byteLength ?? 0;
    }
    expect(connection.closed).toBe(false);
    expect(received).toBeGreaterThan(200 * KIB);
    connection.close();
  });
});

describe("a GET stream whose client stopped reading", () => {
  it("is ended by the server, frees its slot, and the client resumes with Last-Event-ID", async () => {
    const server = new McpServer({ name: "t", version: "1", stateless: false, maxBufferedBytesPerStream: 32 * KIB });
    const headers = await openSession(server.fetch);
    const sessionId = headers["mcp-session-id"] ?? "";
    const get = () => server.fetch(new Request(BASE, { headers: { ...headers, accept: "text/event-stream" } }));
    const first = await get();
    expect(first.status).toBe(200);
    // Read the priming event only, then stop reading.
    const reader = new SseReader(first);
    const data = "n".repeat(KIB);
    for (let i = 0; i < 2_000; i++)
      await server.sendNotificationToSession(sessionId, "notifications/message", {
        level: "info",
        data: `${i}:${data}`,
      });
    // The slot is free again: a second GET would get 409 while the first were held.
    const second = await get();
    expect(second.status).toBe(200);
    await second.body?.cancel();
    // What the server queued before it gave up is lost with the connection...
    await expect(
      (async () => {
        for (let event = await reader.next(); event; event = await reader.next()) {
          // drain
        }
      })(),
    ).rejects.toThrow();
    // ...and the event store replays the rest: the newest notification is there.
    const resumed = await server.fetch(
      new Request(BASE, {
        headers: { ...headers, accept: "text/event-stream", "last-event-id": `${sessionId}.get_1000` },
      }),
    );
    expect(resumed.status).toBe(200);
    const replay = new SseReader(resumed);
    let last: string | undefined;
    for (let i = 0; i < 1_000; i++) {
      const event = await replay.nextMessage();
      if (!event) break;
      last = (event.message as { params?: { data?: string } }).params?.data?.split(":")[0];
      if (last === "1999") break;
    }
    expect(last).toBe("1999");
    await replay.cancel();
  });
});
