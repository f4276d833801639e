/**
 * Opens the store MCP_STORE names (config.ts) for the Node entry: the objects `McpServer` takes
 * (`sessionStore`, `streamManager`, `eventStore`) and a `close()` for a clean shutdown.
 *
 * A store that cannot be reached does not stop the server: it starts anyway, requests that need the
 * store get HTTP 503 with a JSON-RPC error saying the session store is unavailable, and service
 * resumes by itself once the store is back (the clients reconnect and resubscribe on their own).
 */
import type { McpServerOptions, SessionStore } from "@mcp-edge/core";
import { isStoreUnavailable } from "@mcp-edge/core/storage";
import type { StoreConfig } from "./config.js";

export type StoreOptions = Pick<McpServerOptions, "sessionStore" | "streamManager" | "eventStore">;

export interface OpenStore {
  /** Pass to `createExampleServer` (empty for the memory store: the core's defaults). */
  readonly options: StoreOptions;
  /** For the startup line, e.g. `redis (redis://127.0.0.1:6379)`; never shows credentials. */
  readonly description: string;
  /** Drops subscriptions and closes the connections. Idempotent. */
  close(): Promise<void>;
}

export interface StoreLogger {
  info(message: string): void;
  warn(message: string): void;
}

const consoleLogger: StoreLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
};

export async function openStore(config: StoreConfig, logger: StoreLogger = consoleLogger): Promise<OpenStore> {
  switch (config.kind) {
    case "memory":
      return { options: {}, description: "memory", close: async () => {} };
    case "redis":
      return openRedis(config, logger);
    case "upstash":
      return openUpstash(config, logger);
  }
}

/** A URL as it may be printed: no user name or password. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = "";
    url.password = "";
    return url.href.replace(/\/$/, "");
  } catch {
    return "(invalid url)";
  }
}

/**
 * Reports a connection's outages once each (the clients retry forever and would log every attempt):
 * "unreachable" on the first error of an outage, "connected" when it is back.
 */
function outageReporter(logger: StoreLogger, what: string) {
  let state: "connecting" | "up" | "down" = "connecting";
  return {
    error(error: unknown) {
      if (state === "down") return;
      state = "down";
      const detail = error instanceof Error ? error.message || error.name : String(error);
      logger.warn(
        `mcp-edge example: ${what} unreachable (${detail}); requests that need the store get 503 until it is back`,
      );
    },
    ready() {
      if (state === "down") logger.info(`mcp-edge example: ${what} reachable again`);
      state = "up";
    },
  };
}

/**
 * A session store that reports outages (once each) and recoveries. Every request with a session reads the
 * session store first, so its failures are what an operator needs to see; for clients that have no
 * connection events of their own (HTTP: Upstash).
 */
function reportingSessionStore(inner: SessionStore, report: ReturnType<typeof outageReporter>): SessionStore {
  const watch = async <T>(operation: Promise<T>): Promise<T> => {
    try {
      const value = await operation;
      report.ready();
      return value;
    } catch (error) {
      if (isStoreUnavailable(error)) report.error(error);
      throw error;
    }
  };
  return {
    get: (id, ttlMs) => watch(inner.get(id, ttlMs)),
    set: (record, ttlMs) => watch(inner.set(record, ttlMs)),
    touch: (id, ttlMs) => watch(inner.touch(id, ttlMs)),
    delete: (id) => watch(inner.delete(id)),
  };
}

async function openRedis(config: Extract<StoreConfig, { kind: "redis" }>, logger: StoreLogger): Promise<OpenStore> {
  const [{ createClient }, { RedisEventStore, RedisSessionStore, RedisStreamManager }] = await Promise.all([
    import("redis"),
    import("@mcp-edge/redis"),
  ]);
  const where = redactUrl(config.url);
  const client = createClient({
    url: config.url,
    // Fail fast while Redis is away (the @mcp-edge/redis README): a command issued offline is refused at
    // once, so the request gets its 503 immediately instead of hanging until the connection is back.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      // Keep trying for ever, at most every 2 s: the server recovers by itself when Redis is back.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
  // SUBSCRIBE needs a connection of its own (a subscribed connection can run no other command).
  const pubSubClient = client.duplicate();

  // Connect both, but never fail startup over it: wait until each connection is either ready or has
  // failed once (so a healthy start serves its first request from a connected client), then go on.
  // The listeners go on before the stores are built: @mcp-edge/redis then leaves the reporting to them.
  const settled = [client, pubSubClient].map((each, index) => {
    const report = outageReporter(logger, `redis at ${where}${index === 1 ? " (subscriber)" : ""}`);
    let settle = () => {};
    const firstOutcome = new Promise<void>((resolve) => {
      settle = resolve;
    });
    each.on("error", (error: unknown) => {
      report.error(error);
      settle();
    });
    each.on("ready", () => {
      report.ready();
      settle();
    });
    return { each, firstOutcome, settle };
  });

  const prefix = config.prefix === undefined ? {} : { prefix: config.prefix };
  const streamManager = new RedisStreamManager({ client, pubSubClient, ...prefix });
  const options: StoreOptions = {
    sessionStore: new RedisSessionStore({ client, ...prefix }),
    streamManager,
    eventStore: new RedisEventStore({ client, ...prefix }),
  };

  for (const { each, settle } of settled) {
    // connect() settles only once connected (it keeps retrying meanwhile) and its errors also arrive as
    // events; it rejects when the client is closed before it ever connected (a shutdown during an outage).
    each.connect().then(settle, settle);
  }
  await Promise.all(settled.map(({ firstOutcome }) => firstOutcome));

  let closing: Promise<void> | undefined;
  return {
    options,
    description: `redis (${where})`,
    close() {
      closing ??= (async () => {
        await streamManager.close().catch(() => {});
        await Promise.all(
          [client, pubSubClient].map(async (each) => {
            try {
              // close() waits for pending replies; while disconnected there is nothing to wait for.
              if (each.isReady) await each.close();
              else each.destroy();
            } catch {
              each.destroy();
            }
          }),
        );
      })();
      return closing;
    },
  };
}

async function openUpstash(config: Extract<StoreConfig, { kind: "upstash" }>, logger: StoreLogger): Promise<OpenStore> {
  const [{ Redis }, { UpstashEventStore, UpstashSessionStore, UpstashStreamManager }] = await Promise.all([
    import("@upstash/redis"),
    import("@mcp-edge/upstash"),
  ]);
  const { url, token } = config;
  // HTTP: nothing to connect up front, so an unreachable endpoint cannot hold up startup. A small retry
  // budget (the @mcp-edge/upstash README): a request waits at most ~0.2 s on it, then gets its 503.
  const client = new Redis({
    url,
    token,
    retry: { retries: 2, backoff: (retryCount: number) => 50 * 2 ** retryCount },
    enableTelemetry: false,
  });
  const prefix = config.prefix === undefined ? {} : { prefix: config.prefix };
  // Subscription streams reopen by themselves; the package logs the first failure of each outage.
  const streamManager = new UpstashStreamManager({ client, url, token, ...prefix });
  const report = outageReporter(logger, `upstash at ${redactUrl(url)}`);
  let closing: Promise<void> | undefined;
  return {
    options: {
      sessionStore: reportingSessionStore(new UpstashSessionStore({ client, ...prefix }), report),
      streamManager,
      eventStore: new UpstashEventStore({ client, ...prefix }),
    },
    description: `upstash (${redactUrl(url)})`,
    close() {
      closing ??= streamManager.close().catch(() => {});
      return closing;
    },
  };
}
