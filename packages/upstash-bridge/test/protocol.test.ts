import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeReply, startUpstashBridge, type UpstashBridge } from "../src/index.js";
import { b64, type Direct, direct, eventually, lines, post, TOKEN, upstash } from "./helpers.js";

// The wire protocol itself, with raw HTTP: what @upstash/redis relies on, and what it never sends.
let server: RedisServer;
let bridge: UpstashBridge;
let redisDirect: Direct;
beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: server.url, token: TOKEN, keepAliveMs: 50 });
  redisDirect = await direct(server.url);
});
afterAll(async () => {
  redisDirect?.destroy();
  await bridge?.close();
  await server?.stop();
});

const auth = { Authorization: `Bearer ${TOKEN}` };
const base64 = { ...auth, "Upstash-Encoding": "base64" };
const key = (label: string) => `k:${label}:${crypto.randomUUID()}`;

async function numsub(channel: string): Promise<number> {
  const reply = (await redisDirect.sendCommand(["PUBSUB", "NUMSUB", channel])) as unknown[];
  return Number(reply[1]);
}

function subscribe(path: string, headers: Record<string, string> = auth): Promise<Response> {
  return fetch(`${bridge.url}${path}`, { method: "POST", headers: { ...headers, Accept: "text/event-stream" } });
}

describe("listening", () => {
  it("binds to 127.0.0.1 by default", () => {
    expect(bridge.host).toBe("127.0.0.1");
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}`);
  });

  it("requires a token to start", async () => {
    await expect(startUpstashBridge({ redisUrl: server.url, token: "" })).rejects.toThrow(TypeError);
  });

  it("fails to start on a port that is taken, and leaves no Redis connection behind", async () => {
    const clients = async () =>
      String(await redisDirect.sendCommand(["CLIENT", "LIST"]))
        .trim()
        .split("\n").length;
    const before = await clients();
    await expect(startUpstashBridge({ redisUrl: server.url, token: TOKEN, port: bridge.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
    await eventually(async () => expect(await clients()).toBe(before));
  });
});

describe("authentication", () => {
  it("answers 401 without a token or with a wrong one, and runs nothing", async () => {
    const k = key("auth");
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "Bearer wrong" },
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: TOKEN },
      { Authorization: `Basic ${TOKEN}` },
    ];
    for (const headers of attempts) {
      const reply = await post(bridge.url, "/", ["SET", k, "x"], headers);
      expect(reply.status, JSON.stringify(headers)).toBe(401);
      expect(reply.body).toEqual({ error: "Unauthorized" });
    }
    const pipeline = await post(bridge.url, "/pipeline", [["SET", k, "x"]], { Authorization: "Bearer nope" });
    expect(pipeline.status).toBe(401);
    expect((await subscribe("/subscribe/x", { Authorization: "Bearer nope" })).status).toBe(401);
    expect(await redisDirect.exists(k)).toBe(0);
  });

  it("accepts the token as a bearer token (any case) or as ?_token=", async () => {
    expect((await post(bridge.url, "/", ["PING"], { Authorization: `bearer ${TOKEN}` })).body).toEqual({
      result: "PONG",
    });
    expect((await post(bridge.url, `/?_token=${TOKEN}`, ["PING"], {})).body).toEqual({ result: "PONG" });
  });
});

describe("replies", () => {
  it("base64: every string is base64 of its bytes except a top-level OK; numbers and null stay", async () => {
    const bytes = Buffer.from([0xff, 0x00, 0x80, 0x41]);
    const k = key("bytes");
    await redisDirect.set(k, bytes);
    expect((await post(bridge.url, "/", ["GET", k], base64)).body).toEqual({ result: bytes.toString("base64") });
    expect((await post(bridge.url, "/", ["SET", key("s"), "v"], base64)).body).toEqual({ result: "OK" });
    expect((await post(bridge.url, "/", ["PING"], base64)).body).toEqual({ result: b64("PONG") });
    expect((await post(bridge.url, "/", ["INCR", key("n")], base64)).body).toEqual({ result: 1 });
    expect((await post(bridge.url, "/", ["GET", key("none")], base64)).body).toEqual({ result: null });
    const ok = key("ok");
    await redisDirect.set(ok, "OK");
    // A stored "OK" is a bulk string: encoded like any other.
    expect((await post(bridge.url, "/", ["GET", ok], base64)).body).toEqual({ result: b64("OK") });
    expect((await post(bridge.url, "/", ["MGET", k, key("none"), ok], base64)).body).toEqual({
      result: [bytes.toString("base64"), null, b64("OK")],
    });
    expect(
      (await post(bridge.url, "/", ["EVAL", "return {7, {ok='OK'}, {'é', {ok='OK'}}}", "0"], base64)).body,
    ).toEqual({ result: [7, b64("OK"), [b64("é"), b64("OK")]] });
  });

  it("plain: strings as UTF-8 text, status replies as they are", async () => {
    const k = key("text");
    await redisDirect.set(k, "héllo 🤖");
    expect((await post(bridge.url, "/", ["GET", k])).body).toEqual({ result: "héllo 🤖" });
    expect((await post(bridge.url, "/", ["PING"])).body).toEqual({ result: "PONG" });
    expect((await post(bridge.url, "/", ["TYPE", k])).body).toEqual({ result: "string" });
    const h = key("h");
    await redisDirect.hSet(h, { a: "1" });
    expect((await post(bridge.url, "/", ["HGETALL", h])).body).toEqual({ result: ["a", "1"] });
  });

  it("encodes every reply shape it can meet", () => {
    expect(encodeReply(Buffer.from("x"), "base64")).toBe(b64("x"));
    expect(encodeReply("OK", "base64")).toBe("OK");
    expect(encodeReply(["OK", [Buffer.from("y"), "OK"]], "base64")).toEqual([b64("OK"), [b64("y"), b64("OK")]]);
    expect(encodeReply(12n, "plain")).toBe("12");
    expect(encodeReply(Number.POSITIVE_INFINITY, "plain")).toBe("Infinity");
    expect(encodeReply(true, "plain")).toBe(1);
    expect(encodeReply([new Error("ERR nested")], "plain")).toEqual(["ERR nested"]);
    expect(encodeReply(undefined, "plain")).toBeNull();
    expect(() => encodeReply(new Map(), "plain")).toThrow(TypeError);
  });

  it("stringifies numbers and booleans in commands, as @upstash/redis sends them", async () => {
    const k = key("args");
    expect((await post(bridge.url, "/", ["SET", k, 12.5, "PX", 60_000])).body).toEqual({ result: "OK" });
    expect(await redisDirect.get(k)).toBe("12.5");
    expect((await post(bridge.url, "/", ["SET", k, true])).body).toEqual({ result: "OK" });
    expect(await redisDirect.get(k)).toBe("true");
  });

  it("sends a fresh upstash-sync-token on every reply", async () => {
    const first = await post(bridge.url, "/", ["PING"], { ...auth, "upstash-sync-token": "" });
    const second = await post(bridge.url, "/", ["PING"], {
      ...auth,
      "upstash-sync-token": first.headers.get("upstash-sync-token") ?? "",
    });
    expect(Number(first.headers.get("upstash-sync-token"))).toBeGreaterThan(0);
    expect(Number(second.headers.get("upstash-sync-token"))).toBeGreaterThan(
      Number(first.headers.get("upstash-sync-token")),
    );
  });
});

describe("errors", () => {
  it("answers a failed command with 400 and { error }", async () => {
    const k = key("e");
    await redisDirect.set(k, "text");
    expect(await post(bridge.url, "/", ["INCR", k])).toMatchObject({
      status: 400,
      body: { error: "ERR value is not an integer or out of range" },
    });
    const unknown = await post(bridge.url, "/", ["NOPE"]);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: expect.stringMatching(/^ERR unknown command 'NOPE'/) });
  });

  it("answers malformed requests with 400, other methods with 405, large bodies with 413", async () => {
    for (const body of ["{not json", "{}", "[]", '"GET"', '[["GET","k"]]', '["GET",{"a":1}]', '["SET","k",null]']) {
      const reply = await post(bridge.url, "/", body);
      expect(reply.status, body).toBe(400);
      expect(reply.body, body).toEqual({ error: expect.stringMatching(/^ERR /) });
    }
    for (const body of ["[]", '["GET","k"]', "[[]]"]) {
      expect((await post(bridge.url, "/pipeline", body)).status, body).toBe(400);
      expect((await post(bridge.url, "/multi-exec", body)).status, body).toBe(400);
    }
    const bad = await fetch(`${bridge.url}/%E0%A4%A`, { headers: auth });
    expect(bad.status).toBe(400);
    expect((await fetch(`${bridge.url}/`, { method: "DELETE", headers: auth })).status).toBe(405);
    expect((await fetch(`${bridge.url}/pipeline`, { headers: auth })).status).toBe(405);

    const small = await startUpstashBridge({ redisUrl: server.url, token: TOKEN, maxBodyBytes: 64 });
    try {
      const reply = await post(small.url, "/", ["SET", key("big"), "x".repeat(100)]);
      expect(reply).toMatchObject({ status: 413, body: { error: "ERR request body larger than 64 bytes" } });
    } finally {
      await small.close();
    }
  });

  it("refuses commands that would change the shared connection, and runs none of them", async () => {
    const k = key("refused");
    for (const command of [
      ["SUBSCRIBE", "x"],
      ["MULTI"],
      ["EXEC"],
      ["WATCH", k],
      ["SELECT", "1"],
      ["CLIENT", "REPLY", "OFF"],
      ["quit"],
    ]) {
      const reply = await post(bridge.url, "/", command);
      expect(reply.status, command.join(" ")).toBe(400);
      expect(reply.body).toEqual({ error: expect.stringContaining("not supported by the REST API") });
    }
    expect(
      (
        await post(bridge.url, "/pipeline", [
          ["SET", k, "1"],
          ["SELECT", "2"],
        ])
      ).status,
    ).toBe(400);
    expect((await post(bridge.url, "/multi-exec", [["SET", k, "1"], ["MULTI"]])).status).toBe(400);
    expect(await redisDirect.exists(k)).toBe(0);
    // The shared connection still works, on database 0.
    expect((await post(bridge.url, "/", ["SET", k, "0"])).body).toEqual({ result: "OK" });
    expect(await redisDirect.get(k)).toBe("0");
  });
});

describe("pipelines and transactions", () => {
  it("answers a pipeline with one { result } or { error } per command, in order", async () => {
    const k = key("p");
    const reply = await post(bridge.url, "/pipeline", [
      ["SET", k, "a"],
      ["INCR", k],
      ["APPEND", k, "b"],
      ["GET", k],
    ]);
    expect(reply).toMatchObject({
      status: 200,
      body: [
        { result: "OK" },
        { error: "ERR value is not an integer or out of range" },
        { result: 2 },
        { result: "ab" },
      ],
    });
  });

  it("discards a whole transaction when a command is refused while queuing", async () => {
    const k = key("abort");
    const reply = await post(bridge.url, "/multi-exec", [
      ["SET", k, "1"],
      ["SET", k],
      ["INCR", k],
    ]);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: expect.stringMatching(/^EXECABORT .*wrong number of arguments/) });
    expect(await redisDirect.exists(k)).toBe(0);
  });

  it("answers a transaction with each command's outcome", async () => {
    const k = key("tx");
    const reply = await post(
      bridge.url,
      "/multi-exec",
      [
        ["SET", k, "x"],
        ["INCR", k],
        ["GET", k],
      ],
      base64,
    );
    expect(reply).toMatchObject({
      status: 200,
      body: [{ result: "OK" }, { error: "ERR value is not an integer or out of range" }, { result: b64("x") }],
    });
  });

  it("keeps transactions apart under concurrency: no command of another request lands inside one", async () => {
    const k = key("iso");
    await redisDirect.set(k, "0");
    // Each transaction reads, increments twice, reads: inside a real MULTI nothing may interleave.
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        n % 2 === 0
          ? post(bridge.url, "/multi-exec", [
              ["GET", k],
              ["INCR", k],
              ["INCR", k],
              ["GET", k],
            ])
          : post(bridge.url, "/", ["INCR", k]),
      ),
    );
    for (const [n, reply] of replies.entries()) {
      if (n % 2 !== 0) continue;
      const [before, , , after] = reply.body as { result: string }[];
      expect(Number(after?.result) - Number(before?.result)).toBe(2);
    }
    expect(await redisDirect.get(k)).toBe(String(20 * 2 + 20));
  });

  it("gives blocking commands a connection of their own, so they stall nobody", async () => {
    const list = key("list");
    const blocked = post(bridge.url, "/", ["BLPOP", list, "0"]);
    // These would wait forever behind BLPOP if it held the shared connection.
    expect((await post(bridge.url, "/", ["PING"])).body).toEqual({ result: "PONG" });
    expect((await post(bridge.url, "/pipeline", [["PING"], ["BLPOP", `${list}:none`, "0.01"]])).body).toEqual([
      { result: "PONG" },
      { result: null },
    ]);
    await eventually(async () => {
      const clients = String(await redisDirect.sendCommand(["CLIENT", "LIST"]));
      expect(clients).toContain("cmd=blpop");
    });
    expect((await post(bridge.url, "/", ["RPUSH", list, "item"])).body).toEqual({ result: 1 });
    expect((await blocked).body).toEqual({ result: [list, "item"] });
  });
});

describe("path-style commands", () => {
  it("runs /COMMAND/arg/... with GET, and appends a POST body and query parameters", async () => {
    const k = key("path");
    const set = await fetch(`${bridge.url}/set/${encodeURIComponent(k)}/${encodeURIComponent("v é/x")}`, {
      headers: auth,
    });
    expect(await set.json()).toEqual({ result: "OK" });
    const get = await fetch(`${bridge.url}/get/${encodeURIComponent(k)}`, { headers: auth });
    expect(await get.json()).toEqual({ result: "v é/x" });
    const withBody = await fetch(`${bridge.url}/set/${encodeURIComponent(k)}?EX=100`, {
      method: "POST",
      headers: auth,
      body: '{"raw": "json value"}',
    });
    expect(await withBody.json()).toEqual({ result: "OK" });
    expect(await redisDirect.get(k)).toBe('{"raw": "json value"}');
    expect(await redisDirect.ttl(k)).toBeGreaterThan(0);
    expect((await fetch(`${bridge.url}/`, { headers: auth })).status).toBe(400);
  });
});

describe("subscribe", () => {
  it("streams subscribe, then message events; a payload with line breaks spans data lines", async () => {
    const channel = `ch a/b?c#d,ü:${crypto.randomUUID()}`;
    const response = await subscribe(`/subscribe/${encodeURIComponent(channel)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const stream = lines(response);
    expect(await stream.next()).toBe(`data: subscribe,${channel},1`);
    expect(await stream.next()).toBe("");
    expect(await numsub(channel)).toBe(1);
    await redisDirect.publish(channel, '{"n":1}');
    await redisDirect.publish(channel, "two\nlines\r\nthree");
    await redisDirect.publish(channel, "");
    const seen: string[] = [];
    while (seen.length < 8) {
      const line = await stream.next();
      // A keepalive comment may fall between two events; skip it with its blank separator.
      if (line.startsWith(":")) await stream.next();
      else seen.push(line);
    }
    expect(seen).toEqual([
      `data: message,${channel},{"n":1}`,
      "",
      `data: message,${channel},two`,
      "data: lines",
      "data: three",
      "",
      `data: message,${channel},`,
      "",
    ]);
    await stream.cancel();
    // The client went away: the bridge closed its Redis subscriber.
    await eventually(async () => expect(await numsub(channel)).toBe(0));
  });

  it("subscribes several channels in one stream, and patterns with psubscribe", async () => {
    const a = `a:${crypto.randomUUID()}`;
    const b = `b:${crypto.randomUUID()}`;
    const both = lines(await subscribe(`/subscribe/${a}/${b}`));
    expect([await both.next(), await both.next(), await both.next(), await both.next()]).toEqual([
      `data: subscribe,${a},1`,
      "",
      `data: subscribe,${b},2`,
      "",
    ]);
    const pattern = `p:${crypto.randomUUID()}:*`;
    const patterned = lines(await subscribe(`/psubscribe/${encodeURIComponent(pattern)}`));
    expect(await patterned.next()).toBe(`data: psubscribe,${pattern},1`);
    await redisDirect.publish(b, "to b");
    await redisDirect.publish(pattern.replace("*", "x"), "to p");
    const nextData = async (stream: ReturnType<typeof lines>) => {
      for (;;) {
        const line = await stream.next();
        if (line.startsWith("data:")) return line;
      }
    };
    expect(await nextData(both)).toBe(`data: message,${b},to b`);
    expect(await nextData(patterned)).toBe(`data: pmessage,${pattern},${pattern.replace("*", "x")},to p`);
    await both.cancel();
    await patterned.cancel();
    await eventually(async () => {
      expect(await numsub(a)).toBe(0);
      expect(Number(await redisDirect.sendCommand(["PUBSUB", "NUMPAT"]))).toBe(0);
    });
  });

  it("sends keepalive comments on an idle stream", async () => {
    const stream = lines(await subscribe(`/subscribe/idle-${crypto.randomUUID()}`));
    let line = await stream.next();
    while (!line.startsWith(":")) line = await stream.next();
    expect(line).toBe(": keepalive");
    await stream.cancel();
  });

  it("answers a subscribe without channel with 400", async () => {
    const response = await subscribe("/subscribe");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/^ERR subscribe needs/) });
  });

  it("ends open streams and stops listening on close", async () => {
    const other = await startUpstashBridge({ redisUrl: server.url, token: TOKEN });
    const channel = `closing:${crypto.randomUUID()}`;
    const response = await fetch(`${other.url}/subscribe/${channel}`, { method: "POST", headers: auth });
    const stream = lines(response);
    expect(await stream.next()).toBe(`data: subscribe,${channel},1`);
    await other.close();
    await other.close();
    await expect(
      (async () => {
        for (;;) await stream.next();
      })(),
    ).rejects.toThrow();
    await expect(upstash(other.url, "base64").ping()).rejects.toThrow();
    await eventually(async () => expect(await numsub(channel)).toBe(0));
  });
});
