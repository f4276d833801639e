/**
 * The Workers entry: `createWorker(server)` is what `export default` takes, with the env and execution
 * context of each request reachable from tools, and the Workers default mode applied.
 */
import { allowListsFromEnv, type McpServerCore, type PlatformDefaults } from "@mcp-edge/core";
import type { SessionNamespace } from "./durable/platform.js";
import { type DurableSessionOptions, type DurableSessionStorage, durableSessionStorage } from "./durable/storage.js";

/**
 * The part of Cloudflare's `ExecutionContext` this package passes on. Structural, so the package needs
 * no `@cloudflare/workers-types` at build time; the real `ExecutionContext` satisfies it.
 */
export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

/** What a request's tools can read through `workerContext(ctx.request)`. */
export interface WorkerRequestContext<Env> {
  env: Env;
  ctx: WorkerExecutionContext;
}

/**
 * The module Worker `export default` expects (an `ExportedHandler<Env>` with a fetch handler). The
 * request's extra arguments from workerd are typed structurally, see `WorkerExecutionContext`.
 */
export interface McpWorker<Env> {
  fetch(request: Request, env: Env, ctx: WorkerExecutionContext): Promise<Response>;
}

/** Builds the server from the Worker's bindings (secrets, KV, a session store over a binding...). */
export type ServerFactory<Env> = (env: Env) => McpServerCore;

// Per request, so a tool can find its bindings from `ctx.request`: the core hands tools the very
// Request object the Worker received. Weak, so nothing outlives the request.
const requestContexts = new WeakMap<Request, WorkerRequestContext<unknown>>();

/**
 * The env and execution context of the Worker invocation serving `request` (pass a tool's
 * `ctx.request`), or undefined for a request that did not come through `createWorker`.
 * `Env` is asserted, not checked: it is whatever the Worker's bindings are.
 */
export function workerContext<Env = unknown>(request: Request | undefined): WorkerRequestContext<Env> | undefined {
  if (!request) return undefined;
  return requestContexts.get(request) as WorkerRequestContext<Env> | undefined;
}

/**
 * Workers' platform defaults (the rationale is on `PlatformDefaults`): stateless, said here too so it
 * holds wherever the Worker runs (e.g. a test pool whose user agent differs). The host names a Worker answers on (workers.dev, routes, custom domains) are known to its bindings
 * only: `MCP_ALLOWED_HOSTS` / `MCP_ALLOWED_ORIGINS` from `[vars]` or secrets. With neither set (nor the
 * options), only loopback names pass, which keeps `wrangler dev` protected against DNS rebinding.
 */
function workersDefaults(env: unknown, sessions: boolean): PlatformDefaults {
  const bindings = typeof env === "object" && env !== null ? (env as Record<string, unknown>) : {};
  return { stateless: !sessions, ...allowListsFromEnv((name) => bindings[name]) };
}

/** What `createWorker` takes besides the server. */
export interface WorkerOptions<Env> {
  /**
   * Sessions in Durable Objects: the namespace bound to `McpSessionObject` (e.g.
   * `(env) => env.MCP_SESSIONS`). The server then keeps sessions, resumable streams and broadcasts
   * in those objects, unless it was given stores of its own.
   */
  sessions?: (env: Env) => SessionNamespace;
  /** Bounds and naming of the Durable Object stores (see `DurableSessionOptions`). */
  sessionOptions?: DurableSessionOptions;
}

/**
 * The Durable Object stores for a server that keeps sessions and brought no store of its own; the
 * core uses them as platform defaults (explicit options win).
 */
function durableStorageFor<Env>(
  server: McpServerCore,
  env: Env,
  options: WorkerOptions<Env>,
): DurableSessionStorage | undefined {
  if (!options.sessions || server.options.sessionStore || server.options.stateless === true) return undefined;
  return durableSessionStorage(options.sessions(env), options.sessionOptions);
}

/**
 * The Worker's default export for an MCP server. Pass the server, or a factory that builds it from the
 * bindings: the factory runs once per isolate, on its first request (bindings do not change within an
 * isolate's life), since Workers hand bindings to handlers, not to module scope.
 *
 * @example export default createWorker(server);
 * @example export default createWorker(server, { sessions: (env) => env.MCP_SESSIONS });
 * @example export default createWorker<Env>((env) => new McpServer({ name: env.NAME, version: "1.0.0" }));
 */
export function createWorker<Env = unknown>(
  server: McpServerCore | ServerFactory<Env>,
  options: WorkerOptions<Env> = {},
): McpWorker<Env> {
  const factory: ServerFactory<Env> = typeof server === "function" ? server : () => server;
  const sessions = options.sessions !== undefined;
  // A server given directly gets the mode at once, so a misuse (a server that already answered) fails
  // at module load; the host lists need the bindings, which only the first request brings.
  if (typeof server !== "function") server.applyPlatformDefaults(workersDefaults(undefined, sessions));
  let instance: McpServerCore | undefined;
  let durable: DurableSessionStorage | undefined;
  return {
    fetch(request, env, ctx) {
      if (!instance) {
        const built = factory(env);
        durable = durableStorageFor(built, env, options);
        instance = built.applyPlatformDefaults({ ...workersDefaults(env, sessions), storage: durable });
      }
      requestContexts.set(request, { env, ctx });
      // The core finds `ctx.waitUntil` among these, for work that outlives the response.
      const answer = instance.fetch(request, env, ctx);
      // Calls to session objects still running when the response is out (a broadcast started without
      // being awaited) finish under waitUntil too.
      const storage = durable;
      if (storage) ctx.waitUntil(answer.then(storage.settled, storage.settled));
      return answer;
    },
  };
}
