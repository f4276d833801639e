import { connect } from "node:net";
import { SseReader } from "@mcp-edge/test-support/wire";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FetchHandler, type ListenInfo, type ServeOptions, type ServerHandle, serve } from "../src/index.js";
import { aborted, deferred, freshConnection, sseEvent } from "./helpers.js";

// Every server a test starts is closed afterwards, even when the test fails half-way.
const open: ServerHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((handle) => handle.close()));
  vi.restoreAllMocks();
});

async function start(handler: FetchHandler, options: ServeOptions = {}): Promise<ServerHandle> {
  const handle = await serve(handler, { port: 0, handleSignals: false, ...options });
  open.push(handle);
  return handle;
}

const sseHeaders = { "content-type": "text/event-stream", "cache-control": "no-cache" };

describe("serve: the Fetch bridge", () => {
  it("listens on 127.0.0.1 by default, on the port it reports, and calls onListen", async () => {
    const onListen = vi.fn<(info: ListenInfo) => void>();
    const handle = await start({ fetch: () => new Response("hi") }, { onListen });

    expect(handle.address).toBe("127.0.0.1");
    expect(handle.port).toBeGreaterThan(0);
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
    expect(onListen).toHaveBeenCalledOnce();
    expect(onListen).toHaveBeenCalledWith({ address: "127.0.0.1", port: handle.port, family: "IPv4" });
    const response = await fetch(handle.url);
    expect(await response.text()).toBe("hi");
  });

  it("hands the handler a Request with method, URL, headers and body, and sends its Response back", async () => {
    const handle = await start({
      async fetch(request) {
        const body = await request.json();
        return Response.json(
          { method: request.method, url: request.url, marker: request.headers.get("x-marker"), body },
          { status: 201, headers: { "x-reply": "yes" } },
        );
      },
    });

    const response = await fetch(`${handle.url}/mcp?x=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-marker": "m" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("x-reply")).toBe("yes");
    expect(await response.json()).toEqual({
      method: "POST",
      url: `http://127.0.0.1:${handle.port}/mcp?x=1`,
      marker: "m",
      body: { jsonrpc: "2.0", id: 1, method: "ping" },
    });
  });

  it("accepts a bare function, and calls an object's fetch as a method (this is kept)", async () => {
    class App {
      readonly greeting = "from a method";
      fetch(_request: Request): Response {
        return new Response(this.greeting);
      }
    }
    const fromMethod = await start(new App());
    const fromFunction = await start((request) => new Response(new URL(request.url).pathname));

    expect(await (await fetch(fromMethod.url)).text()).toBe("from a method");
    expect(await (await fetch(`${fromFunction.url}/path`)).text()).toBe("/path");
  });

  it("answers 500 when the handler throws, logs it, and keeps serving", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    let calls = 0;
    const handle = await start({
      fetch() {
        calls += 1;
        if (calls === 1) throw new Error("boom");
        return new Response("ok");
      },
    });

    const failed = await fetch(handle.url);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("");
    expect(logged).toHaveBeenCalledWith("@mcp-edge/node: handler threw", expect.any(Error));
    const next = await fetch(handle.url);
    expect(next.status).toBe(200);
    expect(await next.text()).toBe("ok");
  });

  it("rejects when the port is taken", async () => {
    const first = await start(() => new Response("first"));
    await expect(serve(() => new Response("second"), { port: first.port, handleSignals: false })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe("serve: streaming", () => {
  it("delivers the first SSE event while the handler is still producing the stream", async () => {
    const release = deferred();
    let released = false;
    const handle = await start(() => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(sseEvent({ n: 1 }));
          // The stream only goes on once the client has seen event 1: a buffering bridge would deadlock here.
          await release.promise;
          released = true;
          controller.enqueue(sseEvent({ n: 2 }));
          controller.close();
        },
      });
      return new Response(body, { headers: sseHeaders });
    });

    const response = await fetch(handle.url, { method: "POST" });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(response.headers.get("content-length")).toBeNull();
    if (!response.body) throw new Error("no body");
    const events = new SseReader(response.body);

    expect(await events.nextData()).toEqual({ n: 1 });
    expect(released).toBe(false);
    release.resolve();
    expect(await events.nextData()).toEqual({ n: 2 });
    expect(released).toBe(true);
    expect(await events.nextData()).toBeUndefined();
  });

  it("aborts request.signal and cancels the SSE body when the client disconnects mid-stream", async () => {
    const signal = deferred<AbortSignal>();
    const cancelled = deferred<unknown>();
    const handle = await start((request) => {
      signal.resolve(request.signal);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(sseEvent({ n: 1 }));
        },
        cancel(reason) {
          cancelled.resolve(reason);
        },
      });
      return new Response(body, { headers: sseHeaders });
    });

    const client = new AbortController();
    const response = await fetch(handle.url, { method: "POST", signal: client.signal });
    if (!response.body) throw new Error("no body");
    const events = new SseReader(response.body);
    expect(await events.nextData()).toEqual({ n: 1 });
    const requestSignal = await signal.promise;
    expect(requestSignal.aborted).toBe(false);

    client.abort();

    await aborted(requestSignal);
    expect(requestSignal.aborted).toBe(true);
    await cancelled.promise;
  });

  it("aborts request.signal when the client disconnects before any response", async () => {
    const entered = deferred<AbortSignal>();
    const handle = await start(async (request) => {
      entered.resolve(request.signal);
      // Answers only once it is told the client is gone.
      await aborted(request.signal);
      return new Response("too late");
    });

    const client = new AbortController();
    const pending = fetch(handle.url, { method: "POST", body: "x", signal: client.signal });
    const requestSignal = await entered.promise;
    client.abort();

    await expect(pending).rejects.toThrow();
    await aborted(requestSignal);
    expect(requestSignal.aborted).toBe(true);
  });
});

describe("serve: graceful shutdown", () => {
  it("stops accepting connections but lets an in-flight request finish", async () => {
    const entered = deferred();
    const release = deferred();
    const handle = await start(async () => {
      entered.resolve();
      await release.promise;
      return new Response("finished");
    });

    const inFlight = fetch(handle.url);
    await entered.promise;
    let closed = false;
    const closing = handle.close().then(() => {
      closed = true;
    });

    expect(await freshConnection(handle.port)).toBe("ECONNREFUSED");
    expect(closed).toBe(false);
    release.resolve();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("finished");
    // The connection is not kept alive past the shutdown.
    expect(response.headers.get("connection")).toBe("close");
    await closing;
    expect(closed).toBe(true);
  });

  it("ends open SSE streams cleanly and cancels their source", async () => {
    const cancelled = deferred<unknown>();
    const handle = await start(() => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(sseEvent({ n: 1 }));
        },
        cancel(reason) {
          cancelled.resolve(reason);
        },
      });
      return new Response(body, { headers: sseHeaders });
    });

    const response = await fetch(handle.url, { method: "POST" });
    if (!response.body) throw new Error("no body");
    const events = new SseReader(response.body);
    expect(await events.nextData()).toEqual({ n: 1 });

    const closing = handle.close();

    // A clean end of stream, not a network error: an MCP client reconnects after this.
    expect(await events.nextData()).toBeUndefined();
    expect(await cancelled.promise).toBe("server shutting down");
    await closing;
  });

  it("cuts requests still running after gracefulShutdownMs, aborting their request.signal", async () => {
    const entered = deferred<AbortSignal>();
    const handle = await start(
      async (request) => {
        entered.resolve(request.signal);
        await aborted(request.signal);
        return new Response("never sent");
      },
      { gracefulShutdownMs: 0 },
    );

    // Observed from the start: the rejection lands while close() is still being awaited.
    const outcome = fetch(handle.url).then(
      () => "answered",
      (error: Error) => error.message,
    );
    const requestSignal = await entered.promise;
    await handle.close();

    expect(await outcome).toBe("fetch failed");
    expect(requestSignal.aborted).toBe(true);
  });

  it("does not wait for a connection that never sent a request", async () => {
    // A grace period longer than any test run: close() must not depend on it here.
    const handle = await start(() => new Response("x"), { gracefulShutdownMs: 24 * 3600 * 1000 });
    const socket = connect(handle.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const socketClosed = new Promise((resolve) => socket.once("close", resolve));

    await handle.close();

    await socketClosed;
    expect(socket.destroyed).toBe(true);
  });

  it("close() is idempotent", async () => {
    const handle = await start(() => new Response("x"));
    const first = handle.close();
    expect(handle.close()).toBe(first);
    await first;
    expect(await freshConnection(handle.port)).toBe("ECONNREFUSED");
  });

  it("shuts down when the signal option aborts", async () => {
    const controller = new AbortController();
    const handle = await start(() => new Response("x"), { signal: controller.signal });
    expect(await freshConnection(handle.port)).toBe(200);

    controller.abort();

    expect(await freshConnection(handle.port)).toBe("ECONNREFUSED");
    await handle.close();
  });

  it("installs SIGTERM/SIGINT handlers only when asked, and removes them on close", async () => {
    const before = { term: process.listenerCount("SIGTERM"), int: process.listenerCount("SIGINT") };

    const optedOut = await start(() => new Response("x"), { handleSignals: false });
    expect(process.listenerCount("SIGTERM")).toBe(before.term);
    expect(process.listenerCount("SIGINT")).toBe(before.int);
    await optedOut.close();

    const handling = await start(() => new Response("x"), { handleSignals: true });
    expect(process.listenerCount("SIGTERM")).toBe(before.term + 1);
    expect(process.listenerCount("SIGINT")).toBe(before.int + 1);
    await handling.close();
    expect(process.listenerCount("SIGTERM")).toBe(before.term);
    expect(process.listenerCount("SIGINT")).toBe(before.int);
  });
});
