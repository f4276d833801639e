import { createServer, type Server, type Socket } from "node:net";
import { StoreUnavailableError } from "@mcp-edge/core";
import {
  eventually,
  expectEventLogLayout,
  expectNonRecordsIgnored,
  expectSessionLayout,
  sampleRecord,
} from "@mcp-edge/storage-contract";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { errors, Redis } from "@upstash/redis";
import { createClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { toStoreError, UpstashEventStore, UpstashSessionStore, UpstashStreamManager } from "../src/index.js";
import { client, TOKEN, testPrefix, VARIANTS } from "./support.js";

let redis: RedisServer;
let bridge: UpstashBridge;
let direct: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: redis.url, token: TOKEN });
  direct = createClient({ url: redis.url, RESP: 2 });
  direct.on("error", () => {});
  await direct.connect();
});
afterAll(async () => {
  direct?.destroy();
  await bridge?.close();
  await redis?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const run = (...args: string[]): Promise<unknown> => direct.sendCommand(args);

/** Counts HTTP requests (round trips) made while `work` runs, by path. */
async function roundTrips(work: () => Promise<unknown>): Promise<string[]> {
  const paths: string[] = [];
  const original = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
    return original(input, init);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return paths;
}

describe("what is stored, and where", () => {
  for (const variant of VARIANTS) {
    it(`stores a session as versioned JSON under <prefix>session:<id>, with the ttl given (${variant.name})`, async () => {
      const prefix = testPrefix();
      await expectSessionLayout(new UpstashSessionStore({ client: client(bridge.url, variant), prefix }), run, prefix);
    });

    it(`reads a value that is not a session record as no session (${variant.name})`, async () => {
      const prefix = testPrefix();
      await expectNonRecordsIgnored(
        new UpstashSessionStore({ client: client(bridge.url, variant), prefix }),
        run,
        prefix,
      );
    });

    it(`keeps each event stream in one exactly capped stream key with an expiry (${variant.name})`, async () => {
      const prefix = testPrefix();
      const store = new UpstashEventStore({
        client: client(bridge.url, variant),
        prefix,
        maxEventsPerStream: 5,
        maxAgeMs: 60_000,
      });
      const ids = await expectEventLogLayout(store, run, prefix);
      const key = `${prefix}events:sess.get`;
      // Entries this store did not write (another field, data that is not a JSON object) are skipped.
      await run("XADD", key, "*", "other", "x");
      await run("XADD", key, "*", "data", "not json");
      await run("XADD", key, "*", "data", "[1]");
      const replay = await store.replayAfter(ids[10] ?? "");
      expect(replay?.events).toEqual([{ id: ids[11], message: { jsonrpc: "2.0", method: "m", params: { n: 11 } } }]);
    });
  }

  it("uses the default prefix mcp: when none is given", async () => {
    const store = new UpstashSessionStore({ client: client(bridge.url) });
    const id = `default-prefix-${crypto.randomUUID()}`;
    await store.set(sampleRecord(id), 10_000);
    expect(await run("EXISTS", `mcp:session:${id}`)).toBe(1);
    await store.delete(id);
    expect(await run("EXISTS", `mcp:session:${id}`)).toBe(0);
    const events = new UpstashEventStore({ client: client(bridge.url) });
    const stream = `default-${crypto.randomUUID()}.get`;
    await events.append(stream, { jsonrpc: "2.0", method: "m" });
    expect(await run("EXISTS", `mcp:events:${stream}`)).toBe(1);
  });

  it("never uses KEYS or SCAN", async () => {
    await run("CONFIG", "RESETSTAT");
    const prefix = testPrefix();
    const redisClient = client(bridge.url);
    const sessions = new UpstashSessionStore({ client: redisClient, prefix });
    const events = new UpstashEventStore({ client: redisClient, prefix });
    const manager = new UpstashStreamManager({ client: redisClient, url: bridge.url, token: TOKEN, prefix });
    await sessions.set(sampleRecord("s"), 10_000);
    await sessions.get("s", 10_000);
    await sessions.touch("s", 10_000);
    await sessions.delete("s");
    const id = await events.append("s.get", { jsonrpc: "2.0", method: "m" });
    await events.replayAfter(id);
    const off = await manager.subscribe("c", () => {});
    await manager.publish("c", "x");
    await off();
    const stats = String(await run("INFO", "commandstats"));
    expect(stats).toContain("cmdstat_getex");
    expect(stats).not.toMatch(/cmdstat_(keys|scan|eval|evalsha):/);
  });
});

describe("round trips (HTTP requests) per operation", () => {
  it("costs one request for each store operation", async () => {
    const prefix = testPrefix();
    const redisClient = client(bridge.url);
    const sessions = new UpstashSessionStore({ client: redisClient, prefix });
    const events = new UpstashEventStore({ client: redisClient, prefix });
    const record = sampleRecord("rt");
    expect(await roundTrips(() => sessions.set(record, 60_000))).toHaveLength(1);
    expect(await roundTrips(() => sessions.get("rt", 60_000))).toHaveLength(1);
    expect(await roundTrips(() => sessions.touch("rt", 60_000))).toHaveLength(1);
    expect(await roundTrips(() => sessions.delete("rt"))).toHaveLength(1);
    let id = "";
    expect(
      await roundTrips(async () => {
        id = await events.append("rt.get", { jsonrpc: "2.0", method: "m" });
      }),
    ).toEqual(["/multi-exec"]);
    expect(await roundTrips(() => events.replayAfter(id))).toEqual(["/pipeline"]);
    expect(await roundTrips(async () => events.startOf("rt.get"))).toEqual([]);
  });

  it("batches what concurrent requests load at the same moment (the client's auto-pipelining)", async () => {
    const prefix = testPrefix();
    const sessions = new UpstashSessionStore({ client: client(bridge.url), prefix });
    const records = Array.from({ length: 20 }, (_, n) => sampleRecord(`c${n}`));
    await Promise.all(records.map((record) => sessions.set(record, 60_000)));
    let loaded: unknown[] = [];
    const paths = await roundTrips(async () => {
      loaded = await Promise.all(records.map((record) => sessions.get(record.id, 60_000)));
    });
    expect(loaded.every((record) => record !== undefined)).toBe(true);
    expect(paths).toEqual(["/pipeline"]);
  });

  it("publishes with one request, and holds one stream per channel however many handlers it has", async () => {
    const prefix = testPrefix();
    const manager = new UpstashStreamManager({ client: client(bridge.url), url: bridge.url, token: TOKEN, prefix });
    const offs: (() => Promise<void>)[] = [];
    const got: string[] = [];
    expect(
      await roundTrips(async () => {
        offs.push(await manager.subscribe("c", (message) => got.push(`1:${message}`)));
        offs.push(await manager.subscribe("c", (message) => got.push(`2:${message}`)));
      }),
    ).toEqual([`/subscribe/${encodeURIComponent(`${prefix}c`)}`]);
    expect(await roundTrips(() => manager.publish("c", "x"))).toHaveLength(1);
    await eventually(() => expect(got.sort()).toEqual(["1:x", "2:x"]));
    const numsub = async () => Number(((await run("PUBSUB", "NUMSUB", `${prefix}c`)) as unknown[])[1]);
    expect(await numsub()).toBe(1);
    expect(await roundTrips(() => offs[0]?.() ?? Promise.resolve())).toEqual([]);
    expect(await numsub()).toBe(1);
    await offs[1]?.();
    // The last handler left: the stream is closed, and with it the Redis subscription.
    await eventually(async () => expect(await numsub()).toBe(0));
    expect(manager.channelCount).toBe(0);
  });
});

describe("stream manager", () => {
  it("carries messages with line breaks, and messages that look escaped, unchanged", async () => {
    const prefix = testPrefix();
    const publisher = new UpstashStreamManager({ client: client(bridge.url), url: bridge.url, token: TOKEN, prefix });
    const subscriber = new UpstashStreamManager({ client: client(bridge.url), url: bridge.url, token: TOKEN, prefix });
    const got: string[] = [];
    await subscriber.subscribe("lines", (message) => got.push(message));
    // What travels is the escaped form: no line break ever reaches the event stream.
    const wire: string[] = [];
    const listener = direct.duplicate();
    listener.on("error", () => {});
    await listener.connect();
    await listener.SUBSCRIBE(`${prefix}lines`, (message) => wire.push(message));
    const messages = ["a\nb", "c\r\nd\re", "~", '~"x"', "~not json", "\n", "plain, with, commas", '{"json":"as is"}'];
    for (const message of messages) await publisher.publish("lines", message);
    await eventually(() => expect(got).toEqual(messages));
    await eventually(() =>
      expect(wire).toEqual([
        '~"a\\nb"',
        '~"c\\r\\nd\\re"',
        '~"~"',
        '~"~\\"x\\""',
        '~"~not json"',
        '~"\\n"',
        "plain, with, commas",
        '{"json":"as is"}',
      ]),
    );
    listener.destroy();
    await subscriber.close();
    expect(subscriber.channelCount).toBe(0);
  });

  it("keeps channels apart even when one name is a prefix of another plus a comma", async () => {
    const prefix = testPrefix();
    const manager = new UpstashStreamManager({ client: client(bridge.url), url: bridge.url, token: TOKEN, prefix });
    const short: string[] = [];
    const long: string[] = [];
    await manager.subscribe("a", (message) => short.push(message));
    await manager.subscribe("a,message", (message) => long.push(message));
    await manager.publish("a,message", "to long");
    await manager.publish("a", "to short");
    await eventually(() => {
      expect(short).toEqual(["to short"]);
      expect(long).toEqual(["to long"]);
    });
    await manager.close();
  });

  it("reads events split at any byte, with CRLF line ends, comments and other fields around them", async () => {
    const text =
      ": comment\r\nevent: x\r\nid: 1\r\ndata: subscribe,mcp:c,1\r\n\r\n" +
      "data: message,mcp:c,héllo 🤖\r\n\r\n" +
      "data:message,mcp:c,no space after the colon\n\n" +
      "data: message,mcp:other,for another channel\n\n" +
      'data: message,mcp:c,~"a\\nb"\n\n';
    const bytes = new TextEncoder().encode(text);
    const requests: { url: string; init: RequestInit }[] = [];
    const manager = new UpstashStreamManager({
      client: client(bridge.url),
      url: "http://upstash.invalid/",
      token: "tok",
      fetch: async (url, init) => {
        requests.push({ url, init });
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            // One byte per chunk: every line, CRLF and multi-byte character is split somewhere.
            for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
            init.signal?.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
          },
        });
        return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
      },
    });
    const got: string[] = [];
    await manager.subscribe("c", (message) => got.push(message));
    await eventually(() => expect(got).toEqual(["héllo 🤖", "no space after the colon", "a\nb"]));
    expect(requests.map((request) => request.url)).toEqual(["http://upstash.invalid/subscribe/mcp%3Ac"]);
    expect(requests[0]?.init.method).toBe("POST");
    expect(new Headers(requests[0]?.init.headers).get("authorization")).toBe("Bearer tok");
    await manager.close();
    expect(manager.channelCount).toBe(0);
  });

  it("opens a subscription stream again when its connection is cut before Upstash confirmed it", async () => {
    let cuts = 2;
    const attempts: string[] = [];
    // The real bridge answers; the first two streams are cut after their headers, as a connection reset
    // or a reused connection the far end had just closed would cut them ("terminated").
    const cutting = async (url: string, init: RequestInit): Promise<Response> => {
      const response = await globalThis.fetch(url, init);
      attempts.push(url);
      if (cuts <= 0) return response;
      cuts--;
      await response.body?.cancel();
      const cut = new ReadableStream<Uint8Array>({
        start: (controller) => controller.error(new TypeError("terminated")),
      });
      return new Response(cut, { status: 200, headers: response.headers });
    };
    const prefix = testPrefix();
    const options = { url: bridge.url, token: TOKEN, prefix, reconnectDelayMs: 10, onError: () => {} };
    const holder = new UpstashStreamManager({ client: client(bridge.url), ...options, fetch: cutting });
    const publisher = new UpstashStreamManager({ client: client(bridge.url), ...options });
    const got: string[] = [];
    await holder.subscribe("c", (message) => got.push(message));
    expect(attempts).toHaveLength(3);
    await publisher.publish("c", "after two cuts");
    await eventually(() => expect(got).toEqual(["after two cuts"]));

    // The budget is bounded: with no retries left, the cut reaches the caller as unavailable.
    cuts = 1;
    const strict = new UpstashStreamManager({
      client: client(bridge.url),
      ...options,
      fetch: cutting,
      subscribeRetries: 0,
    });
    await expect(strict.subscribe("d", () => {})).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(strict.channelCount).toBe(0);
    await Promise.all([holder.close(), publisher.close(), strict.close()]);
  });

  it("enableTelemetry: false keeps the client's telemetry headers off the wire; subscriptions send none", async () => {
    const seen: Headers[] = [];
    const original = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      seen.push(new Headers(init?.headers));
      return original(input, init);
    });
    const telemetry = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith("upstash-telemetry"));
    // The client also turns telemetry off when this variable is set; make sure it is not.
    vi.stubEnv("UPSTASH_DISABLE_TELEMETRY", "");
    const withDefaults = new Redis({ url: bridge.url, token: TOKEN });
    await new UpstashSessionStore({ client: withDefaults, prefix: testPrefix() }).touch("x", 1_000);
    expect(telemetry(seen[0] ?? new Headers()).sort()).toEqual([
      "upstash-telemetry-platform",
      "upstash-telemetry-runtime",
      "upstash-telemetry-sdk",
    ]);
    expect(seen[0]?.get("upstash-telemetry-sdk")).toBe("@upstash/redis@v1.39.0");
    expect(seen[0]?.get("upstash-telemetry-runtime")).toBe(`node@${process.version}`);
    seen.length = 0;
    const quiet = new Redis({ url: bridge.url, token: TOKEN, enableTelemetry: false });
    const manager = new UpstashStreamManager({ client: quiet, url: bridge.url, token: TOKEN, prefix: testPrefix() });
    await new UpstashSessionStore({ client: quiet, prefix: testPrefix() }).touch("x", 1_000);
    await manager.subscribe("c", () => {});
    await manager.publish("c", "m");
    expect(seen).toHaveLength(3);
    for (const headers of seen) expect(telemetry(headers)).toEqual([]);
    await manager.close();
  });

  it("refuses to subscribe once closed, and needs the REST url and token", async () => {
    const manager = new UpstashStreamManager({ client: client(bridge.url), url: bridge.url, token: TOKEN });
    await manager.close();
    await expect(manager.subscribe("x", () => {})).rejects.toThrow(/closed/);
    expect(() => new UpstashStreamManager({ client: client(bridge.url), url: "", token: TOKEN })).toThrow(TypeError);
    expect(() => new UpstashStreamManager({ client: client(bridge.url), url: bridge.url, token: "" })).toThrow(
      TypeError,
    );
  });
});

describe("errors", () => {
  it("fails with StoreUnavailableError when the token is refused, without leaking the command", async () => {
    const wrong = new UpstashSessionStore({
      client: new Redis({
        url: bridge.url,
        token: "wrong",
        enableTelemetry: false,
        retry: { retries: 0 },
      }),
    });
    const record = sampleRecord("secret-subject", { authSubject: "do-not-log-me" });
    const failure = await wrong.set(record, 1_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toBe("session store unavailable: upstash: Unauthorized");
    expect((failure as Error).message).not.toContain("do-not-log-me");
    const manager = new UpstashStreamManager({
      client: client(bridge.url),
      url: bridge.url,
      token: "wrong",
      onError: () => {},
    });
    await expect(manager.subscribe("c", () => {})).rejects.toThrow(StoreUnavailableError);
    expect(manager.channelCount).toBe(0);
  });

  it("classifies failures: replies that reveal a bug are rethrown, everything else is unavailability", () => {
    const bug = new errors.UpstashError("Command 1 [ xadd ] failed: ERR syntax error");
    expect(toStoreError(bug)).toBe(bug);
    const wrongType = new errors.UpstashError("WRONGTYPE Operation against a key holding the wrong kind of value");
    expect(toStoreError(wrongType)).toBe(wrongType);
    for (const [error, detail] of [
      [new TypeError("fetch failed"), "fetch failed"],
      [new errors.UpstashError('Unauthorized, command was: ["get","k"]'), "Unauthorized"],
      [new errors.UpstashError("Command failed: ERR max requests limit exceeded"), "ERR max requests limit exceeded"],
      [new errors.UpstashJSONParseError("<html>502 Bad Gateway</html>"), "Unable to parse response body: <html>"],
      [new DOMException("The operation timed out.", "TimeoutError"), "The operation timed out."],
      ["a string", "a string"],
    ] as const) {
      const converted = toStoreError(error);
      expect(converted).toBeInstanceOf(StoreUnavailableError);
      expect(converted.message).toContain(detail);
      expect(converted.cause).toBe(error);
    }
    const already = new StoreUnavailableError();
    expect(toStoreError(already)).toBe(already);
  });

  it("validates the event store bounds", () => {
    expect(() => new UpstashEventStore({ client: client(bridge.url), maxEventsPerStream: 0 })).toThrow(RangeError);
    expect(() => new UpstashEventStore({ client: client(bridge.url), maxAgeMs: 0 })).toThrow(RangeError);
  });

  describe("against a server that accepts connections and never answers", () => {
    let silent: Server;
    let url = "";
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on("error", () => {});
      });
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const address = silent.address();
      url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it("gives up after commandTimeoutMs with StoreUnavailableError", async () => {
      const store = new UpstashSessionStore({ client: client(url), commandTimeoutMs: 100 });
      await expect(store.get("x", 1_000)).rejects.toThrow(
        new StoreUnavailableError("session store unavailable: upstash did not answer within 100 ms"),
      );
      const manager = new UpstashStreamManager({
        client: client(url),
        url,
        token: TOKEN,
        commandTimeoutMs: 100,
        onError: () => {},
      });
      await expect(manager.subscribe("c", () => {})).rejects.toThrow(
        /did not confirm the subscription .* within 100 ms/,
      );
      await expect(manager.publish("c", "m")).rejects.toThrow(StoreUnavailableError);
      expect(manager.channelCount).toBe(0);
    });
  });
});
