import { describe, expect, it } from "vitest";
import { InMemoryEventStore, InMemorySessionStore, McpServer } from "../src/index.js";
import { openSession, SseReader } from "./helpers.js";
import { info, openGet, take } from "./streams.js";

describe("a GET stream whose session the store no longer has", () => {
  it("ends at the next check, and its session stops listening for broadcasts", async () => {
    const sessionStore = new InMemorySessionStore();
    const eventStore = new InMemoryEventStore();
    const server = new McpServer({
      name: "t",
      version: "1",
      stateless: false,
      sessionStore,
      eventStore,
      keepAliveIntervalMs: 20,
    });
    const kept = await openSession(server.fetch);
    const lost = await openSession(server.fetch);
    const keptStream = new SseReader(await openGet(server.fetch, kept));
    const lostStream = new SseReader(await openGet(server.fetch, lost));
    await server.sendNotification("notifications/message", { level: "info", data: "both" });
    expect((await take(lostStream, 1))[0]?.message).toEqual(info("both"));

    // As when Redis is flushed or the record expired: the store alone forgets the session.
    await sessionStore.delete(lost["mcp-session-id"] ?? "");
    expect(await lostStream.nextMessage()).toBeUndefined();

    await server.sendNotification("notifications/message", { level: "info", data: "after" });
    const lostLog = await eventStore.replayAfter(eventStore.startOf(`${lost["mcp-session-id"]}.get`));
    expect(lostLog?.events.map((event) => event.message)).toEqual([info("both")]);
    const keptSeen = await take(keptStream, 2);
    expect(keptSeen.map((event) => event.message)).toEqual([info("both"), info("after")]);
    await keptStream.cancel();
  });
});
