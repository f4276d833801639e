/**
 * The round-robin proxy of @mcp-edge/test-support (and its CLI), against small node:http upstreams: strict
 * rotation, bodies streamed both ways as they are written, client disconnects passed on, headers passed
 * through as sent, failures reported.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { ROOT, type RoundRobinProxy, startRoundRobinProxy, UPSTREAM_HEADER } from "@mcp-edge/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Inbox } from "../src/sdk.js";

type Handler = (req: IncomingMessage, res: ServerResponse, name: string) => void;

interface Upstream {
  name: string;
  origin: string;
  server: Server;
  /** What each upstream saw, in order. */
  seen: Inbox<{ event: string; detail?: unknown }>;
}

let handler: Handler = (_req, res, name) => res.end(name);

async function upstream(name: string): Promise<Upstream> {
  const seen = new Inbox<{ event: string; detail?: unknown }>();
  const server = createServer((req, res) => {
    seen.push({ event: "request", detail: { method: req.method, url: req.url, headers: req.headers } });
    res.once("close", () => seen.push({ event: "closed", detail: { finished: res.writableFinished } }));
    handler(req, res, name);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { name, origin: `http://127.0.0.1:${port}`, server, seen };
}

describe("startRoundRobinProxy", () => {
  let ups: Upstream[];
  let proxy: RoundRobinProxy;

  beforeAll(async () => {
    ups = await Promise.all(["one", "two", "three"].map(upstream));
    proxy = await startRoundRobinProxy(ups.map((u) => u.origin));
  });
  afterEach(() => {
    handler = (_req, res, name) => res.end(name);
  });
  afterAll(async () => {
    await proxy?.stop();
    for (const u of ups ?? []) {
      u.server.closeAllConnections();
      await new Promise((resolve) => u.server.close(resolve));
    }
  });

  it("listens on 127.0.0.1 and sends each request to the next target in strict rotation", async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = proxy.counts();
    const names: string[] = [];
    const headers: string[] = [];
    for (let i = 0; i < 9; i++) {
      const response = await fetch(`${proxy.url}/mcp?i=${i}`, {
        method: i % 2 ? "POST" : "GET",
        body: i % 2 ? "x" : null,
      });
      names.push(await response.text());
      headers.push(response.headers.get(UPSTREAM_HEADER) ?? "");
    }
    const start = names[0] === "one" ? 0 : names[0] === "two" ? 1 : 2;
    expect(names).toEqual(Array.from({ length: 9 }, (_, i) => ["one", "two", "three"][(start + i) % 3]));
    expect(headers).toEqual(names.map((n) => ups.find((u) => u.name === n)?.origin));
    expect(proxy.counts().map((c, i) => c - (before[i] ?? 0))).toEqual([3, 3, 3]);
  });

  it("passes method, path, query, Host and end-to-end headers through as sent, and drops hop-by-hop ones", async () => {
    handler = (req, res) => res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    // node:http rather than fetch: fetch refuses to send some of these headers at all.
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(`${proxy.url}/mcp/x?y=1`, {
        method: "DELETE",
        headers: {
          host: "evil.example:1234",
          "mcp-session-id": "abc",
          "x-custom": "1",
          connection: "keep-alive, x-hop",
          "x-hop": "dropped",
          "keep-alive": "timeout=5",
          "proxy-authorization": "Basic eDp5",
        },
      });
      req.once("error", reject);
      req.once("response", (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        res.once("end", () => resolve(body));
      });
      req.end();
    });
    const seen = JSON.parse(text) as { method: string; url: string; headers: Record<string, string> };
    expect(seen.method).toBe("DELETE");
    expect(seen.url).toBe("/mcp/x?y=1");
    expect(seen.headers.host).toBe("evil.example:1234");
    expect(seen.headers["mcp-session-id"]).toBe("abc");
    expect(seen.headers["x-custom"]).toBe("1");
    expect(seen.headers["keep-alive"]).toBeUndefined();
    expect(seen.headers["x-hop"]).toBeUndefined();
    expect(seen.headers["proxy-authorization"]).toBeUndefined();
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("streams a response as it is written: each SSE event arrives before the next is written", async () => {
    const release = new Inbox<number>();
    handler = async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      for (let n = 1; n <= 3; n++) {
        res.write(`data: ${n}\n\n`);
        await release.waitFor((k) => k === n); // the client has read event n
      }
      res.end();
    };
    const response = await fetch(`${proxy.url}/sse`);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    for (let n = 1; n <= 3; n++) {
      while (!text.includes(`data: ${n}\n\n`)) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) throw new Error(`stream ended before event ${n}`);
        text += chunk.value;
      }
      release.push(n);
    }
    expect((await reader?.read())?.done).toBe(true);
  });

  it("streams a request body as it is sent", async () => {
    const received = new Inbox<string>();
    handler = (req, res) => {
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => received.push(chunk));
      req.on("end", () => res.end("done"));
    };
    let send!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        send = controller;
      },
    });
    const pending = fetch(`${proxy.url}/upload`, { method: "POST", body, duplex: "half" } as RequestInit);
    send.enqueue(new TextEncoder().encode("first"));
    await received.waitFor((chunk) => chunk.includes("first")); // before the client has finished
    send.enqueue(new TextEncoder().encode("second"));
    send.close();
    expect(await (await pending).text()).toBe("done");
    expect(received.items.join("")).toBe("firstsecond");
  });

  it("passes a client's disconnect on: the target sees its request end", async () => {
    const opened = new Inbox<string>();
    handler = (_req, res, name) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": open\n\n");
      opened.push(name);
    };
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}/held`, { signal: controller.signal });
    const reader = response.body?.getReader();
    await reader?.read();
    const name = await opened.waitFor(() => true);
    const target = ups.find((u) => u.name === name);
    const closed = target?.seen.next((e) => e.event === "closed");
    controller.abort();
    expect(await closed).toEqual({ event: "closed", detail: { finished: false } });
  });

  it("answers 502 when a target cannot be reached, and cuts a response its target breaks off", async () => {
    const dead = await upstream("dead");
    const deadOrigin = dead.origin;
    await new Promise((resolve) => dead.server.close(resolve));
    const lonely = await startRoundRobinProxy([deadOrigin]);
    try {
      const response = await fetch(`${lonely.url}/x`);
      expect(response.status).toBe(502);
      expect(response.headers.get(UPSTREAM_HEADER)).toBe(deadOrigin);
      expect(await response.text()).toContain(`round-robin proxy: ${deadOrigin} failed`);
    } finally {
      await lonely.stop();
    }

    handler = (req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: partial\n\n", () => req.socket.destroy());
    };
    const response = await fetch(`${proxy.url}/broken`);
    await expect(response.text()).rejects.toThrow();
  });

  it("skips a target taken out of rotation until it is put back, and says where the next request goes", async () => {
    const names = async (count: number) => {
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(await (await fetch(`${proxy.url}/n`)).text());
      return out;
    };
    const two = ups[1] as Upstream;
    try {
      proxy.setHealthy(`${two.origin}/`, false);
      const seen = await names(4);
      expect(seen).not.toContain("two");
      expect(new Set(seen)).toEqual(new Set(["one", "three"]));
      expect([ups[0]?.origin, ups[2]?.origin]).toContain(proxy.nextTarget);
      for (const u of ups) proxy.setHealthy(u.origin, false);
      expect(proxy.nextTarget).toBeUndefined();
      const refused = await fetch(`${proxy.url}/n`);
      expect(refused.status).toBe(503);
      expect(await refused.text()).toMatch(/out of rotation/);
    } finally {
      for (const u of ups) proxy.setHealthy(u.origin, true);
    }
    const expected = proxy.nextTarget;
    const response = await fetch(`${proxy.url}/n`);
    await response.text();
    expect(response.headers.get(UPSTREAM_HEADER)).toBe(expected);
    expect(new Set(await names(3))).toEqual(new Set(["one", "two", "three"]));
    expect(() => proxy.setHealthy("http://127.0.0.1:1", false)).toThrow(/not one of its targets/);
  });

  it("refuses bad targets up front", async () => {
    await expect(startRoundRobinProxy([])).rejects.toThrow(/at least one target/);
    await expect(startRoundRobinProxy(["127.0.0.1:3000"])).rejects.toThrow(/is not a URL/);
    await expect(startRoundRobinProxy(["https://127.0.0.1:3000"])).rejects.toThrow(/must be an http:\/\/ URL/);
    await expect(startRoundRobinProxy(["http://127.0.0.1:3000/mcp"])).rejects.toThrow(/origin \(no path\)/);
  });
});

describe("the CLI (test-support/bin/round-robin-proxy.mjs)", () => {
  it("rotates between the targets it is given, logs each request, and stops on SIGTERM", async () => {
    const ups = await Promise.all(["left", "right"].map(upstream));
    const child = spawn(
      process.execPath,
      [join(ROOT, "test-support", "bin", "round-robin-proxy.mjs"), "--port", "0", ...ups.map((u) => u.origin)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let out = "";
      child.stdout.setEncoding("utf8");
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: string) => {
          out += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+) -> /.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const names = [];
      for (let i = 0; i < 4; i++) names.push(await (await fetch(`${url}/mcp`)).text());
      expect(new Set(names)).toEqual(new Set(["left", "right"]));
      expect(names[0]).not.toBe(names[1]);
      expect(names[2]).toBe(names[0]);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(out).toMatch(/GET \/mcp -> http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      child.kill("SIGKILL");
      for (const u of ups) {
        u.server.closeAllConnections();
        await new Promise((resolve) => u.server.close(resolve));
      }
    }
  });

  it("explains its usage when given no target", async () => {
    const child = spawn(process.execPath, [join(ROOT, "test-support", "bin", "round-robin-proxy.mjs")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(err).toContain("at least one target is needed");
    expect(err).toContain("usage: round-robin-proxy.mjs");
  });
});
