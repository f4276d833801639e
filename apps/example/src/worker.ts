/**
 * The Cloudflare Workers entry (the root wrangler.toml's `main`). `MCP_SESSIONS_MODE` in `[vars]`
 * chooses where sessions live:
 *
 * - `durable-objects`: sessions in Durable Objects (`McpSessionObject`, bound as `MCP_SESSIONS`, which
 *   this module re-exports so wrangler finds the class): every MCP feature, nothing else to run.
 * - `upstash`: sessions, cross-request delivery and SSE replay in Upstash Redis, named by
 *   `UPSTASH_REDIS_REST_URL` and `UPSTASH_REDIS_REST_TOKEN` (a secret).
 * - `stateless` (the default when unset): no sessions; every request stands alone (GET and DELETE
 *   answer 405).
 *
 * `createWorker` reads the public host names from the bindings (`MCP_ALLOWED_HOSTS`,
 * `MCP_ALLOWED_ORIGINS`); with none set only loopback names pass, so `wrangler dev` is protected
 * against DNS rebinding and a deployment answers 403 until they are set.
 *
 * `deno serve` and Bun load this module too (its `fetch` takes the request first, as theirs do); they
 * pass no bindings, so there it serves statelessly, on loopback names only.
 */
import {
  createWorker,
  McpSessionObject,
  type McpWorker,
  type SessionNamespace,
  type WorkerExecutionContext,
} from "@mcp-edge/cloudflare";
import { createExampleServer } from "./server.js";
import { type UpstashBindings, upstashStores } from "./worker-upstash.js";

// The Durable Object class must be exported by the Worker's main module for its binding to resolve.
export { McpSessionObject };

export const SESSIONS_MODES = ["stateless", "durable-objects", "upstash"] as const;
export type SessionsMode = (typeof SESSIONS_MODES)[number];

export interface Env extends UpstashBindings {
  MCP_SESSIONS_MODE?: string;
  /** The Durable Object namespace of `McpSessionObject` (wrangler.toml `[[durable_objects.bindings]]`). */
  MCP_SESSIONS?: SessionNamespace;
  MCP_ALLOWED_HOSTS?: string;
  MCP_ALLOWED_ORIGINS?: string;
}

/** The mode the bindings choose; an unknown name fails loudly rather than serving in a mode nobody asked for. */
export function sessionsMode(env: Env | undefined): SessionsMode {
  const raw = env?.MCP_SESSIONS_MODE?.trim().toLowerCase() || "stateless";
  const mode = SESSIONS_MODES.find((each) => each === raw);
  if (mode === undefined) {
    throw new Error(`MCP_SESSIONS_MODE must be one of ${SESSIONS_MODES.join(", ")}; got "${env?.MCP_SESSIONS_MODE}"`);
  }
  return mode;
}

// One Worker per mode, each built on first use: bindings reach handlers, not module scope.
const workers: { [mode in SessionsMode]: () => McpWorker<Env> } = {
  stateless: once(() => createWorker<Env>(createExampleServer({ stateless: true }))),
  "durable-objects": once(() =>
    createWorker<Env>(createExampleServer(), {
      sessions: (env) => {
        if (!env.MCP_SESSIONS) {
          throw new Error(
            "MCP_SESSIONS_MODE=durable-objects needs the MCP_SESSIONS Durable Object binding (wrangler.toml)",
          );
        }
        return env.MCP_SESSIONS;
      },
    }),
  ),
  upstash: once(() => createWorker<Env>((env) => createExampleServer({ stateless: false, ...upstashStores(env) }))),
};

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

const worker = {
  async fetch(request: Request, env: Env = {}, ctx: WorkerExecutionContext = noContext): Promise<Response> {
    try {
      return await workers[sessionsMode(env)]().fetch(request, env, ctx);
    } catch (error) {
      return misconfigured(error);
    }
  },
} satisfies McpWorker<Env>;

/**
 * A setting the bindings got wrong (an unknown mode, a missing Upstash URL): every request is answered
 * with what to fix, as JSON-RPC, instead of workerd's bare exception page. The core answers everything
 * else itself, so only building the server can get here.
 */
function misconfigured(error: unknown): Response {
  const message = error instanceof Error ? error.message : String(error);
  return Response.json({ jsonrpc: "2.0", id: null, error: { code: INTERNAL_ERROR, message } }, { status: 500 });
}

/** JSON-RPC's "Internal error". */
const INTERNAL_ERROR = -32603;

// Deno and Bun call `fetch(request)` alone.
const noContext: WorkerExecutionContext = { waitUntil: () => {}, passThroughOnException: () => {} };

export default worker;
