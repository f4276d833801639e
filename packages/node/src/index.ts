/**
 * @mcp-edge/node: serve any Web Fetch handler (an `McpServer`, a Hono app, a plain function) on Node.js.
 *
 * The Node <-> Fetch translation is `@hono/node-server`'s request listener; this module adds what a
 * long-lived MCP server needs around it: SSE bodies that stream chunk by chunk, `request.signal` aborted
 * when the client goes away, and a graceful shutdown that drains in-flight requests and ends open streams.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { getRequestListener, RequestError } from "@hono/node-server";

/** Anything that answers a Fetch `Request`: an `McpServer`, a Hono app, an object with a `fetch` method. */
export interface FetchHandlerObject {
  fetch(request: Request): Response | Promise<Response>;
}

/** A bare Fetch handler function, accepted as well as an object with a `fetch` method. */
export type FetchHandlerFunction = (request: Request) => Response | Promise<Response>;

export type FetchHandler = FetchHandlerObject | FetchHandlerFunction;

/** Where the server listens, as reported once it is bound (with the real port when 0 was asked for). */
export interface ListenInfo {
  /** The bound address, e.g. `127.0.0.1` or `::1`. */
  address: string;
  port: number;
  /** `IPv4` or `IPv6`. */
  family: string;
}

export interface ServeOptions {
  /** TCP port; 0 picks a free one (read it from the handle or `onListen`). Default 3000. */
  port?: number;
  /**
   * Interface to bind. Default `127.0.0.1`: an MCP server reachable from the network should be an explicit
   * decision (DNS-rebinding protection in the core assumes loopback unless told otherwise).
   */
  hostname?: string;
  /** Aborting this signal shuts the server down gracefully, like `close()`. */
  signal?: AbortSignal;
  /** Called once the server is listening. */
  onListen?: (info: ListenInfo) => void;
  /**
   * How long a shutdown waits for in-flight non-streaming requests before their connections are cut
   * (which aborts their `request.signal`). SSE streams are ended at once, they never finish on their own.
   * Default 10 000 ms.
   */
  gracefulShutdownMs?: number;
  /**
   * Shut down gracefully on SIGTERM and SIGINT and then exit the process (a second signal exits at once).
   * Default true; pass false when the application owns its signals, or in tests.
   */
  handleSignals?: boolean;
}

export interface ServerHandle {
  /** The bound address, e.g. `127.0.0.1`. */
  readonly address: string;
  /** The bound port (the real one when `port: 0` was asked for). */
  readonly port: number;
  /** `http://address:port`, with IPv6 addresses bracketed. */
  readonly url: string;
  /** The underlying `node:http` server, for settings this package does not wrap (timeouts, etc.). */
  readonly server: Server;
  /**
   * Graceful shutdown: stop accepting connections, end open SSE streams, let in-flight requests finish
   * for up to `gracefulShutdownMs`, then cut whatever remains. Resolves when every connection is closed.
   * Idempotent: later calls return the same promise.
   */
  close(): Promise<void>;
}

const DEFAULT_PORT = 3000;
const DEFAULT_HOSTNAME = "127.0.0.1";
const DEFAULT_GRACEFUL_SHUTDOWN_MS = 10_000;
const SHUTDOWN_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * Serve `handler` over HTTP/1.1 on Node. Resolves once the port is bound (rejects if it cannot be, e.g.
 * EADDRINUSE), so `const { port } = await serve(server, { port: 0 })` is race-free.
 */
export async function serve(handler: FetchHandler, options: ServeOptions = {}): Promise<ServerHandle> {
  const hostname = options.hostname ?? DEFAULT_HOSTNAME;
  const gracefulShutdownMs = options.gracefulShutdownMs ?? DEFAULT_GRACEFUL_SHUTDOWN_MS;
  const fetchHandler = toFunction(handler);

  // Every open connection and how many of its responses are still being written: a shutdown waits for
  // busy ones and closes idle ones, including connections a client opened but has sent nothing on yet
  // (fetch clients open such spare sockets, and Node's closeIdleConnections() leaves them open).
  const connections = new Map<Socket, number>();
  const inFlight = new Set<ServerResponse>();
  // Open SSE bodies: a shutdown ends them cleanly instead of waiting for streams that never finish.
  const openStreams = new Set<EndableStream>();
  let closing = false;
  // Set by close(): settles its promise once the server is closed and the last response is done.
  let settleIfDrained: (() => void) | undefined;

  const listener = getRequestListener(
    async (request: Request) => {
      const response = await fetchHandler(request);
      if (!isEventStream(response)) return response;
      const endable = endableStream(response.body, openStreams);
      if (closing) endable.end();
      return new Response(endable.stream, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
    {
      hostname,
      // A library must not swap the host process's global Request/Response (hono's default does, for speed).
      overrideGlobalObjects: false,
      errorHandler: (error: unknown) => {
        // A request Node could parse but the Fetch API cannot represent (bad Host, bad URL) is the client's fault.
        if (error instanceof RequestError) return new Response(null, { status: 400 });
        // The handler itself threw: log it here, because the client only ever sees a bare 500.
        console.error("@mcp-edge/node: handler threw", error);
        return new Response(null, { status: 500 });
      },
    },
  );

  const closeIdleConnections = () => {
    for (const [socket, busy] of connections) if (busy === 0) socket.destroy();
  };

  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const socket = incoming.socket;
    inFlight.add(outgoing);
    connections.set(socket, (connections.get(socket) ?? 0) + 1);
    outgoing.once("close", () => {
      inFlight.delete(outgoing);
      if (connections.has(socket)) connections.set(socket, (connections.get(socket) ?? 1) - 1);
      if (!closing) return;
      // Connections that were busy when the shutdown began become idle now; let them go.
      closeIdleConnections();
      settleIfDrained?.();
    });
    // Requests that still arrive on a kept-alive connection during shutdown are served, then the connection closes.
    if (closing) outgoing.setHeader("connection", "close");
    void listener(incoming, outgoing);
  });

  server.on("connection", (socket: Socket) => {
    connections.set(socket, 0);
    socket.once("close", () => connections.delete(socket));
  });

  const info = await listen(server, options.port ?? DEFAULT_PORT, hostname);

  let closePromise: Promise<void> | undefined;
  const removeSignalHandlers: Array<() => void> = [];

  const close = (): Promise<void> => {
    if (closePromise) return closePromise;
    closing = true;
    for (const remove of removeSignalHandlers) remove();
    closePromise = new Promise<void>((resolve) => {
      // Past the grace period, whatever still runs is cut (which aborts its request.signal).
      const timer = setTimeout(() => {
        for (const socket of connections.keys()) socket.destroy();
      }, gracefulShutdownMs);
      // The timer alone must not keep a process alive whose connections are already gone.
      timer.unref();
      let serverClosed = false;
      // Both are needed: a cut socket can report the server closed before its response has emitted
      // "close" (which is what aborts the handler's request.signal).
      settleIfDrained = () => {
        if (!serverClosed || inFlight.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      // The callback fires once every connection is gone, whatever closed it.
      server.close(() => {
        serverClosed = true;
        settleIfDrained?.();
      });
      for (const outgoing of inFlight) {
        if (!outgoing.headersSent) outgoing.setHeader("connection", "close");
      }
      for (const stream of openStreams) stream.end();
      closeIdleConnections();
    });
    return closePromise;
  };

  if (options.signal) {
    const signal = options.signal;
    if (signal.aborted) void close();
    else {
      const onAbort = () => void close();
      signal.addEventListener("abort", onAbort, { once: true });
      removeSignalHandlers.push(() => signal.removeEventListener("abort", onAbort));
    }
  }

  if (options.handleSignals ?? true) {
    const onSignal = () => {
      // Installing a listener disables Node's default exit, so this handler owns the exit from here on.
      for (const name of SHUTDOWN_SIGNALS) process.once(name, () => forceExit(name));
      void close().then(() => process.exit(0));
    };
    for (const name of SHUTDOWN_SIGNALS) {
      process.once(name, onSignal);
      removeSignalHandlers.push(() => process.off(name, onSignal));
    }
  }

  options.onListen?.(info);

  return {
    address: info.address,
    port: info.port,
    url: `http://${info.family === "IPv6" ? `[${info.address}]` : info.address}:${info.port}`,
    server,
    close,
  };
}

/** A second signal during a shutdown: the operator is done waiting. */
function forceExit(signal: NodeJS.Signals): void {
  process.exit(signal === "SIGINT" ? 130 : 143);
}

function toFunction(handler: FetchHandler): FetchHandlerFunction {
  if (typeof handler === "function") return handler;
  // Called as a method so handlers that rely on `this` (an unbound class method) still work.
  return (request) => handler.fetch(request);
}

function listen(server: Server, port: number, hostname: string): Promise<ListenInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, hostname, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      resolve({ address: address.address, port: address.port, family: address.family });
    });
  });
}

function isEventStream(response: Response): response is Response & { body: ReadableStream<Uint8Array> } {
  if (response.body === null) return false;
  const type = response.headers.get("content-type") ?? "";
  return type.toLowerCase().startsWith("text/event-stream");
}

interface EndableStream {
  readonly stream: ReadableStream<Uint8Array>;
  /** End the body cleanly (the client sees a normal end of stream and may reconnect) and cancel the source. */
  end(): void;
}

/**
 * Pass `source` through a stream the server can end on shutdown. Pull-based with no queue of its own
 * (highWaterMark 0), so each chunk is read from the source only when the socket wants one: no buffering
 * and no loss of backpressure.
 */
function endableStream(source: ReadableStream<Uint8Array>, registry: Set<EndableStream>): EndableStream {
  const reader = source.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let done = false;

  const finish = () => {
    done = true;
    registry.delete(endable);
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      async pull(c) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          if (!done) {
            finish();
            c.error(error);
          }
          return;
        }
        // end() may have run while the read was pending; the stream is already closed then.
        if (done) return;
        if (result.done) {
          finish();
          c.close();
        } else {
          c.enqueue(result.value);
        }
      },
      cancel(reason) {
        // The client went away (the Node side cancels the body): pass that on to the handler's stream.
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );

  const endable: EndableStream = {
    stream,
    end() {
      if (done) return;
      finish();
      controller.close();
      reader.cancel("server shutting down").catch(() => {});
    },
  };
  registry.add(endable);
  return endable;
}
