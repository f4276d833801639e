import { McpServer, type McpServerOptions } from "@mcp-edge/core";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll } from "vitest";
import { RedisEventStore, RedisSessionStore, RedisStreamManager } from "../src/index.js";
import { connectClient, type OpenClient } from "./clients.js";

/** A test file's private redis-server, and McpServer instances over it sharing a key prefix. */
export interface RedisInstances {
  /** The redis-server (stop and restart it to test an outage). */
  readonly redis: RedisServer;
  /** A stateful-capable server over the three Redis stores, with its own command and pub/sub clients. */
  instance(
    prefix: string,
    options?: Partial<McpServerOptions>,
    storeOptions?: { onError?: () => void },
  ): Promise<McpServer>;
}

/**
 * Starts a redis-server before the file's tests and, after them, closes every instance and client it
 * made and destroys the server.
 */
export function useRedisInstances(): RedisInstances {
  let redis: RedisServer | undefined;
  const clients: OpenClient[] = [];
  const servers: McpServer[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close().catch(() => {})));
    await Promise.all(clients.map((client) => client.close()));
    await redis?.destroy();
  });
  const running = (): RedisServer => {
    if (!redis) throw new Error("redis-server is not running (use the instances inside tests)");
    return redis;
  };
  const connect = async () => {
    const open = await connectClient("node-redis", running().url);
    clients.push(open);
    return open.client;
  };
  return {
    get redis() {
      return running();
    },
    async instance(prefix, options = {}, storeOptions = {}) {
      const client = await connect();
      const pubSubClient = await connect();
      const server = new McpServer({
        name: "redis-instance",
        version: "1.0.0",
        sessionStore: new RedisSessionStore({ client, prefix, ...storeOptions }),
        streamManager: new RedisStreamManager({ client, pubSubClient, prefix, ...storeOptions }),
        eventStore: new RedisEventStore({ client, prefix, ...storeOptions }),
        ...options,
      });
      servers.push(server);
      return server;
    },
  };
}
