// Broadcasts reach every held GET stream whatever the event stores: shared (a distributed deployment)
// or one per instance with a shared stream manager (events kept where the stream is held).
import { describe, expect, it } from "vitest";
import { InMemoryEventStore, InMemorySessionStore, InMemoryStreamManager, McpServer } from "../src/index.js";
import { BASE, openSession, SseReader } from "./helpers.js";

function pair(shareEvents: boolean) {
  const sessionStore = new InMemorySessionStore();
  const streamManager = new InMemoryStreamManager();
  const sharedEvents = new InMemoryEventStore();
  const make = () => {
    const server = new McpServer({
      name: "t",
      version: "1",
      stateless: false,
      sessionStore,
      streamManager,
      eventStore: shareEvents ? sharedEvents : new InMemoryEventStore(),
    });
    server.resource("test://r", { name: "r" }, async (uri) => ({ contents: [{ uri: uri.href, text: "" }] }));
    return server;
  };
  return [make(), make()] as const;
}

describe("broadcasts raised on another instance", () => {
  for (const shareEvents of [true, false]) {
    it(`reach a held stream, with ids, when the event stores are ${shareEvents ? "shared" : "per instance"}`, async () => {
      const [holder, publisher] = pair(shareEvents);
      const headers = await openSession(holder.fetch);
      const get = await holder.fetch(new Request(BASE, { headers: { ...headers, accept: "text/event-stream" } }));
      const stream = new SseReader(get);
      await publisher.sendNotification("notifications/tools/list_changed");
      const event = await stream.nextMessage();
      expect(event?.message).toEqual({ jsonrpc: "2.0", method: "notifications/tools/list_changed" });
      expect(event?.id).toBeDefined();
      await stream.cancel();
    });
  }
});
