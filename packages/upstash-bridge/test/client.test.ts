import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashBridge, type UpstashBridge } from "../src/index.js";
import { commandStats, type Direct, direct, ENCODINGS, eventually, TOKEN, upstash } from "./helpers.js";

// The real @upstash/redis client (1.39.0) against the bridge, in both response encodings.
let server: RedisServer;
let bridge: UpstashBridge;
let redisDirect: Direct;
beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: server.url, token: TOKEN });
  redisDirect = await direct(server.url);
});
afterAll(async () => {
  redisDirect?.destroy();
  await bridge?.close();
  await server?.stop();
});

const key = (label: string) => `k:${label}:${crypto.randomUUID()}`;

describe.each(ENCODINGS)("@upstash/redis with %s replies", (encoding) => {
  it("round-trips strings (unicode included), numbers, null and OK", async () => {
    const redis = upstash(bridge.url, encoding);
    const text = 'héllo 🤖 日本語 مرحبا \u0000 \u2028 "q" \\';
    const k = key("text");
    expect(await redis.set(k, text)).toBe("OK");
    expect(await redis.get(k)).toBe(text);
    expect(await redis.getex(k, { px: 60_000 })).toBe(text);
    // A stored "OK" (a bulk string) and the status reply "OK" both arrive as "OK".
    const ok = key("ok");
    expect(await redis.set(ok, "OK")).toBe("OK");
    expect(await redis.get(ok)).toBe("OK");
    const n = key("n");
    expect(await redis.incr(n)).toBe(1);
    expect(await redis.incrby(n, 41)).toBe(42);
    expect(await redis.get(n)).toBe(42);
    expect(await redis.get(key("missing"))).toBeNull();
    expect(await redis.exec(["PING"])).toBe("PONG");
    expect(await redis.exec(["TYPE", k])).toBe("string");
    expect(await redis.pttl(k)).toBeGreaterThan(0);
    // The bridge wrote exactly what the client sent.
    expect(await redisDirect.get(k)).toBe(text);
  });

  it("carries arrays: MGET, HGETALL as a flat array, XRANGE, and status replies nested in arrays", async () => {
    const redis = upstash(bridge.url, encoding);
    const a = key("a");
    await redis.set(a, "é");
    expect(await redis.mget(a, key("none"))).toEqual(["é", null]);
    const h = key("h");
    await redis.hset(h, { field: "välue", count: 7 });
    expect(await redis.hgetall(h)).toEqual({ field: "välue", count: 7 });
    expect(await redis.exec(["HGETALL", h])).toEqual(["field", "välue", "count", 7]);
    const s = key("s");
    const id = await redis.xadd(s, "*", { data: "ünï" });
    expect(await redis.xrange(s, "-", "+")).toEqual({ [id]: { data: "ünï" } });
    // Lua status tables are status replies at depth 1 and 2: every one must come out as "OK".
    expect(await redis.eval("return {1, {ok='OK'}, {'x', {ok='OK'}}}", [], [])).toEqual([1, "OK", ["x", "OK"]]);
  });

  it("runs a pipeline in order, with a failing command's error in its place", async () => {
    const redis = upstash(bridge.url, encoding);
    const k = key("p");
    const results = await redis.pipeline().set(k, "v").incr(k).get(k).append(k, "w").exec({ keepErrors: true });
    expect(results.map((entry) => entry.error ?? null)).toEqual([
      null,
      "ERR value is not an integer or out of range",
      null,
      null,
    ]);
    expect(results.map((entry) => entry.result ?? null)).toEqual(["OK", null, "v", 2]);
    expect(await redisDirect.get(k)).toBe("vw");
    await expect(redis.pipeline().set(k, "x").incr(k).exec()).rejects.toThrow(
      "Command 2 [ incr ] failed: ERR value is not an integer or out of range",
    );
  });

  it("runs a transaction as a real MULTI/EXEC", async () => {
    const redis = upstash(bridge.url, encoding);
    const k = key("m");
    const before = await commandStats(redisDirect);
    expect(await redis.multi().set(k, "1").incr(k).incrby(k, 10).get(k).exec()).toEqual(["OK", 2, 12, 12]);
    const after = await commandStats(redisDirect);
    expect((after.multi ?? 0) - (before.multi ?? 0)).toBe(1);
    expect((after.exec ?? 0) - (before.exec ?? 0)).toBe(1);
    // A command failing at run time fails alone, as in Redis: the others ran.
    const t = key("t");
    const results = await redis.multi().set(t, "text").incr(t).set(`${t}:2`, "b").exec({ keepErrors: true });
    expect(results.map((entry) => entry.error ?? null)).toEqual([
      null,
      "ERR value is not an integer or out of range",
      null,
    ]);
    expect(await redisDirect.get(`${t}:2`)).toBe("b");
  });

  it("turns Redis error replies into client errors", async () => {
    const redis = upstash(bridge.url, encoding);
    const k = key("e");
    await redis.set(k, "not a number");
    await expect(redis.incr(k)).rejects.toThrow("ERR value is not an integer or out of range");
    await expect(redis.exec(["NOSUCHCOMMAND", "x"])).rejects.toThrow(/ERR unknown command/);
    await expect(redis.lpush(k, "x")).rejects.toThrow(/WRONGTYPE/);
  });

  it("hands the client a sync token on every reply, which it keeps for its next request", async () => {
    const redis = upstash(bridge.url, encoding);
    expect(redis.readYourWritesSyncToken).toBe("");
    await redis.set(key("sync"), "1");
    const first = Number(redis.readYourWritesSyncToken);
    expect(first).toBeGreaterThan(0);
    await redis.get(key("sync"));
    expect(Number(redis.readYourWritesSyncToken)).toBeGreaterThan(first);
  });

  it("refuses a wrong token, and runs nothing", async () => {
    const k = key("auth");
    await expect(upstash(bridge.url, encoding, "wrong-token").set(k, "x")).rejects.toThrow(/Unauthorized/);
    expect(await redisDirect.exists(k)).toBe(0);
  });

  it("subscribes to a channel, delivers messages, and closes the Redis subscription on unsubscribe", async () => {
    const redis = upstash(bridge.url, encoding);
    const channel = `ch:${crypto.randomUUID()}`;
    const subscriber = redis.subscribe<{ n: number; text: string }>(channel);
    const confirmed = new Promise<number>((resolve) => subscriber.on("subscribe", resolve));
    const received: { channel: string; message: unknown }[] = [];
    subscriber.on("message", (event) => received.push(event));
    expect(await confirmed).toBe(1);
    expect(await redis.publish(channel, { n: 1, text: "héllo" })).toBe(1);
    expect(await redis.publish(channel, { n: 2, text: "🤖" })).toBe(1);
    await eventually(() =>
      expect(received).toEqual([
        { channel, message: { n: 1, text: "héllo" } },
        { channel, message: { n: 2, text: "🤖" } },
      ]),
    );
    await subscriber.unsubscribe();
    await eventually(async () => expect(await numsub(channel)).toBe(0));
  });

  it("subscribes to a pattern", async () => {
    const redis = upstash(bridge.url, encoding);
    const base = `pat:${crypto.randomUUID()}`;
    // @upstash/redis JSON-parses pmessage payloads without a fallback, so these are JSON.
    const subscriber = redis.psubscribe<{ text: string }>(`${base}:*`);
    const confirmed = new Promise<number>((resolve) => subscriber.on("psubscribe", resolve));
    const received: { pattern: string; channel: string; message: unknown }[] = [];
    subscriber.on("pmessage", (event) => received.push(event));
    expect(await confirmed).toBe(1);
    await redis.publish(`${base}:one`, { text: "first" });
    await redis.publish(`${base}-not-matching`, { text: "never" });
    await redis.publish(`${base}:two`, { text: "second" });
    await eventually(() =>
      expect(received).toEqual([
        { pattern: `${base}:*`, channel: `${base}:one`, message: { text: "first" } },
        { pattern: `${base}:*`, channel: `${base}:two`, message: { text: "second" } },
      ]),
    );
    await subscriber.unsubscribe();
    await eventually(async () => expect(Number(await redisDirect.sendCommand(["PUBSUB", "NUMPAT"]))).toBe(0));
  });
});

async function numsub(channel: string): Promise<number> {
  const reply = (await redisDirect.sendCommand(["PUBSUB", "NUMSUB", channel])) as unknown[];
  return Number(reply[1]);
}
