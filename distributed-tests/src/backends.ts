/**
 * The shared stores a deployment can run on, behind one interface so every test runs unchanged on each:
 * a real redis-server, reached directly (`MCP_STORE=redis`) or through the Upstash REST bridge
 * (`MCP_STORE=upstash`: the real `@upstash/redis` client over HTTP, the bridge in front of redis-server).
 */
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";

export type BackendName = "redis" | "upstash";

export interface BackendOptions {
  /** Keep Redis's data across `stopStore()` / `restartStore()` (append-only file, fsync always). */
  persistent?: boolean;
}

export interface RunningBackend {
  readonly name: BackendName;
  /** The redis-server underneath (for either backend). */
  readonly redis: RedisServer;
  /** The example server's environment for this store, with a key prefix of its own. */
  env(prefix: string): Record<string, string>;
  /** Takes the store away (SIGKILL to redis-server: clients see an abrupt loss, as in a crash). */
  stopStore(): Promise<void>;
  /** Brings it back on the same address. */
  restartStore(): Promise<void>;
  /** Stops everything this backend started. Idempotent. */
  close(): Promise<void>;
}

export interface Backend {
  readonly name: BackendName;
  start(options?: BackendOptions): Promise<RunningBackend>;
}

const redisBackend: Backend = {
  name: "redis",
  async start(options = {}) {
    const redis = await startRedisServer({ persistent: options.persistent ?? false });
    return {
      name: "redis",
      redis,
      env: (prefix) => ({ MCP_STORE: "redis", REDIS_URL: redis.url, MCP_STORE_PREFIX: prefix }),
      stopStore: () => redis.stop(),
      restartStore: () => redis.restart(),
      close: () => redis.destroy(),
    };
  },
};

/** The token the bridge checks and the servers send. */
const UPSTASH_TOKEN = "distributed-tests-token";

const upstashBackend: Backend = {
  name: "upstash",
  async start(options = {}) {
    const redis = await startRedisServer({ persistent: options.persistent ?? false });
    // The bridge stays up through a Redis outage, as Upstash's front door would: it answers with errors.
    const { startUpstashBridge } = await import("@mcp-edge/upstash-bridge");
    const bridge = await startUpstashBridge({ redisUrl: redis.url, token: UPSTASH_TOKEN, onError: () => {} });
    let closed: Promise<void> | undefined;
    return {
      name: "upstash",
      redis,
      env: (prefix) => ({
        MCP_STORE: "upstash",
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: UPSTASH_TOKEN,
        MCP_STORE_PREFIX: prefix,
      }),
      stopStore: () => redis.stop(),
      restartStore: () => redis.restart(),
      close() {
        closed ??= bridge.close().finally(() => redis.destroy());
        return closed;
      },
    };
  },
};

const ALL: readonly Backend[] = [redisBackend, upstashBackend];

/**
 * Every backend, or those named in DISTRIBUTED_BACKENDS (comma-separated, for a quicker local run; an
 * unknown name is an error, never a silent skip).
 */
export const BACKENDS: readonly Backend[] = (() => {
  const wanted = process.env.DISTRIBUTED_BACKENDS?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (!wanted?.length) return ALL;
  return wanted.map((name) => {
    const found = ALL.find((backend) => backend.name === name);
    if (!found)
      throw new Error(`DISTRIBUTED_BACKENDS: unknown backend "${name}" (known: ${ALL.map((b) => b.name).join(", ")})`);
    return found;
  });
})();

/** A key prefix (and channel prefix) no other deployment in this run uses. */
export function uniquePrefix(label: string): string {
  return `dt:${label}:${crypto.randomUUID().slice(0, 8)}:`;
}
