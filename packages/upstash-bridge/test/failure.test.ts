import { freePort, type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashBridge, type UpstashBridge } from "../src/index.js";
import { eventually, lines, post, TOKEN, upstash } from "./helpers.js";

describe("when redis-server goes away", () => {
  let server: RedisServer;
  let bridge: UpstashBridge;
  const errors: unknown[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
    bridge = await startUpstashBridge({ redisUrl: server.url, token: TOKEN, onError: (error) => errors.push(error) });
  });
  afterAll(async () => {
    await bridge?.close();
    await server?.stop();
  });

  it("answers 503 while it is down, ends subscribe streams, and recovers by itself", async () => {
    expect((await post(bridge.url, "/", ["SET", "k", "before"])).body).toEqual({ result: "OK" });
    const stream = lines(
      await fetch(`${bridge.url}/subscribe/news`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } }),
    );
    expect(await stream.next()).toBe("data: subscribe,news,1");

    await server.stop();

    // The subscriber's connection is gone: its stream ends, so a client knows to reconnect.
    await expect(
      (async () => {
        for (;;) await stream.next();
      })(),
    ).rejects.toThrow(/stream ended/);
    await eventually(async () => expect((await post(bridge.url, "/", ["GET", "k"])).status).toBe(503));
    const single = await post(bridge.url, "/", ["GET", "k"]);
    expect(single.body).toEqual({ error: expect.stringMatching(/^redis-server unavailable: /) });
    expect((await post(bridge.url, "/pipeline", [["GET", "k"]])).status).toBe(503);
    expect((await post(bridge.url, "/multi-exec", [["GET", "k"]])).status).toBe(503);
    expect((await post(bridge.url, "/", ["BLPOP", "list", "1"])).status).toBe(503);
    const refused = await fetch(`${bridge.url}/subscribe/news`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/^redis-server unavailable: /) });
    // The real client sees a failed command, not a hang.
    await expect(upstash(bridge.url, "base64").get("k")).rejects.toThrow(/redis-server unavailable/);
    expect(errors.length).toBeGreaterThan(0);

    await server.restart();

    // No persistence: the restarted Redis is empty.
    await eventually(async () => expect((await post(bridge.url, "/", ["GET", "k"])).body).toEqual({ result: null }));
    expect(await upstash(bridge.url, "base64").set("k", "after")).toBe("OK");
    const again = lines(
      await fetch(`${bridge.url}/subscribe/news`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } }),
    );
    expect(await again.next()).toBe("data: subscribe,news,1");
    await again.cancel();
  });
});

describe("when redis-server is not there at start", () => {
  it("starts anyway, answers 503, and reports the connection errors", async () => {
    const errors: unknown[] = [];
    const port = await freePort();
    const bridge = await startUpstashBridge({
      redisUrl: `redis://127.0.0.1:${port}`,
      token: TOKEN,
      onError: (error) => errors.push(error),
    });
    try {
      const reply = await post(bridge.url, "/", ["PING"]);
      expect(reply.status).toBe(503);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await bridge.close();
    }
  });
});
