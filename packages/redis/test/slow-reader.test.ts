// The per-connection buffer limit holds when a GET stream is fed through Redis pub/sub from another
// instance: the holder ends the connection of a client that stopped reading and frees its slot.
import { initializeBody } from "@mcp-edge/test-support/wire";
import { describe, expect, it } from "vitest";
import { testPrefix } from "./clients.js";
import { useRedisInstances } from "./instances.js";

const KIB = 1024;
const URL_ = "http://127.0.0.1/mcp";
const BOTH = "application/json, text/event-stream";

const redis = useRedisInstances();
const instance = (prefix: string) =>
  redis.instance(prefix, {
    name: "slow-reader",
    stateless: false,
    keepAliveIntervalMs: 0,
    maxBufferedBytesPerStream: 64 * KIB,
  });

describe("a GET stream fed through Redis whose client never reads", () => {
  it("is ended by the instance holding it once the buffer limit is reached", async () => {
    const prefix = testPrefix();
    const holder = await instance(prefix);
    const publisher = await instance(prefix);
    const initialize = await holder.fetch(
      new Request(URL_, {
        method: "POST",
        headers: { "content-type": "application/json", accept: BOTH },
        body: initializeBody(),
      }),
    );
    const sessionId = initialize.headers.get("mcp-session-id") ?? "";
    await initialize.text();
    const headers = { accept: "text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" };
    const unread = await holder.fetch(new Request(URL_, { headers }));
    expect(unread.status).toBe(200);

    const payload = "x".repeat(KIB);
    for (let i = 0; i < 400; i++) {
      await publisher.sendNotificationToSession(sessionId, "notifications/message", { level: "info", data: payload });
    }
    // Pub/sub delivery is asynchronous: wait until the holder has let the connection go.
    let status = 409;
    for (let attempt = 0; attempt < 200 && status === 409; attempt++) {
      const again = await holder.fetch(new Request(URL_, { headers }));
      status = again.status;
      await again.body?.cancel();
      if (status === 409) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
    // The unread connection was cut, not closed cleanly: its queue was dropped.
    await expect(unread.text()).rejects.toThrow();
  });
});
