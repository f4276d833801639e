import type { Server } from "node:http";

/** Anything that answers a Fetch `Request`: an `McpServer`, a Hono app, an object with a `fetch` method. */
export interface FetchHandlerObject {
  fetch(request: Request): Response | Promise<Response>;
  /**
   * Present on handlers that own their streams (an `McpServer`): a shutdown calls it to end them,
   * and the adapter then leaves SSE bodies untouched (no per-response wrapping).
   */
  close?(): Promise<void>;
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
  /**
   * Let `@hono/node-server` replace the global Request and Response with its lightweight versions
   * (its own default), so a request costs no undici objects unless the handler needs them. Default
   * true; pass false to keep Node's own globals in this process.
   */
  overrideGlobalObjects?: boolean;
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
