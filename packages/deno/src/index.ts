/**
 * @mcp-edge/deno: serve an mcp-edge `McpServer` (or any Fetch handler object) with `Deno.serve`.
 *
 * Deno speaks Fetch natively, so this is a thin call with safer defaults (loopback only). For
 * `deno serve` and Deno Deploy nothing is needed at all: `export default server` is the handler.
 * Deno's own types are not needed to build or use this package: the little of `Deno.serve` it calls
 * is declared here.
 */
import { allowListsFromEnv, type PlatformDefaults } from "@mcp-edge/core";

/** Anything that answers a Fetch `Request`: an `McpServer`, a Hono app, an object with a `fetch` method. */
export interface FetchHandlerObject {
  fetch(request: Request): Response | Promise<Response>;
}

/** Where the server listens (Deno's `NetAddr`). */
export interface ListenAddress {
  hostname: string;
  /** The bound port (the real one when 0 was asked for). */
  port: number;
  transport: "tcp" | "udp";
}

export interface ServeOptions {
  /** TCP port; 0 picks a free one (read it from `addr` or `onListen`). Default 8000, as `Deno.serve`. */
  port?: number;
  /**
   * Interface to bind. Default `127.0.0.1` (Deno's own default is every interface): an MCP server
   * reachable from the network should be an explicit decision, and the core's DNS-rebinding guard
   * accepts loopback host names only until `allowedHosts` or `MCP_ALLOWED_HOSTS` lists public ones.
   */
  hostname?: string;
  /** Aborting it shuts the server down gracefully (in-flight requests finish). */
  signal?: AbortSignal;
  /** Called once listening; without it Deno prints `Listening on http://...`. */
  onListen?: (address: ListenAddress) => void;
}

/** The handle `Deno.serve` returns (Deno's `HttpServer`), as far as this package promises it. */
export interface DenoHttpServer {
  readonly addr: ListenAddress;
  /** Resolves once the server has stopped. */
  readonly finished: Promise<void>;
  /** Stops accepting connections and resolves once in-flight requests have finished. */
  shutdown(): Promise<void>;
  /** Keep the process alive while the server runs (the default). */
  ref(): void;
  /** Let the process exit even though the server is still listening. */
  unref(): void;
}

/** The part of the `Deno` namespace this package calls. */
interface DenoNamespace {
  serve(
    options: { port: number; hostname: string; signal?: AbortSignal; onListen?: (address: ListenAddress) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): DenoHttpServer;
  env?: { get(name: string): string | undefined };
  permissions?: { querySync?(descriptor: { name: "env"; variable: string }): { state: string } };
}

/** An mcp-edge server (`McpServerCore`), as opposed to any other Fetch handler object. */
interface PlatformAware {
  applyPlatformDefaults(defaults: PlatformDefaults): unknown;
}

function isPlatformAware(server: FetchHandlerObject): server is FetchHandlerObject & PlatformAware {
  return typeof (server as Partial<PlatformAware>).applyPlatformDefaults === "function";
}

/**
 * A variable the program may read: without `--allow-env` Deno would throw (or prompt) on `Deno.env.get`,
 * and a program run with `--allow-net` alone keeps the loopback-only default rather than failing.
 */
function readEnv(deno: DenoNamespace, name: string): string | undefined {
  if (deno.permissions?.querySync?.({ name: "env", variable: name }).state !== "granted") return undefined;
  return deno.env?.get(name);
}

const DEFAULT_PORT = 8000;
const DEFAULT_HOSTNAME = "127.0.0.1";

/**
 * Serve `server` with `Deno.serve` (run with `deno run --allow-net=127.0.0.1 main.ts`). Returns Deno's
 * server handle at once; the address is bound when `onListen` is called.
 *
 * For an mcp-edge server, the host names and origins accepted besides loopback come from its
 * `allowedHosts` / `allowedOrigins` options or else from `MCP_ALLOWED_HOSTS` / `MCP_ALLOWED_ORIGINS`
 * (comma-separated), read when the program may (`--allow-env=MCP_ALLOWED_HOSTS,MCP_ALLOWED_ORIGINS`).
 *
 * @example serve(server, { port: 8000 });
 */
export function serve(server: FetchHandlerObject, options: ServeOptions = {}): DenoHttpServer {
  const deno = (globalThis as { Deno?: DenoNamespace }).Deno;
  if (typeof deno?.serve !== "function") {
    throw new Error("@mcp-edge/deno: serve() runs on Deno only (no global Deno.serve here)");
  }
  if (isPlatformAware(server)) {
    const lists = allowListsFromEnv((name) => readEnv(deno, name));
    if (lists.allowedHosts !== undefined || lists.allowedOrigins !== undefined) server.applyPlatformDefaults(lists);
  }
  return deno.serve(
    {
      port: options.port ?? DEFAULT_PORT,
      hostname: options.hostname ?? DEFAULT_HOSTNAME,
      // Only what was given: Deno prints its own "Listening on" line when onListen is absent.
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onListen ? { onListen: options.onListen } : {}),
    },
    // Deno passes (request, info); the MCP server reads the request only.
    (request) => server.fetch(request),
  );
}
