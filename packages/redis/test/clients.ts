import type { EventStore, SessionStore, StreamManager } from "@mcp-edge/core";
import type { ContractFactory, EventStoreLimits } from "@mcp-edge/storage-contract";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { type RedisClient, RedisEventStore, RedisSessionStore, RedisStreamManager } from "../src/index.js";

export type ClientKind = "node-redis" | "ioredis";
export const CLIENT_KINDS: ClientKind[] = ["node-redis", "ioredis"];

export interface OpenClient {
  client: RedisClient;
  close(): Promise<void>;
}

/**
 * A connected client of either kind. `failFast` is the configuration the README recommends: no
 * offline queue, so a command issued while Redis is unreachable fails at once instead of waiting
 * for a reconnect. Reconnects are quick and unbounded in both cases, as in production.
 */
export async function connectClient(kind: ClientKind, url: string, { failFast = true } = {}): Promise<OpenClient> {
  if (kind === "node-redis") {
    const client = createClient({
      url,
      disableOfflineQueue: failFast,
      socket: { reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 500) },
    });
    await client.connect();
    return {
      client,
      close: async () => {
        client.destroy();
      },
    };
  }
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: !failFast,
    ...(failFast ? { maxRetriesPerRequest: 1 } : {}),
    retryStrategy: (times: number) => Math.min(50 * times, 500),
  });
  await client.connect();
  return {
    client,
    close: async () => {
      client.disconnect();
    },
  };
}

/** A key prefix no other test uses, so tests sharing one redis-server never meet. */
export function testPrefix(): string {
  return `t:${crypto.randomUUID()}:`;
}

/** Opens connections on demand and closes every one of them at cleanup. */
function connections(kind: ClientKind, url: string) {
  const opened: OpenClient[] = [];
  return {
    async connect(): Promise<RedisClient> {
      const open = await connectClient(kind, url);
      opened.push(open);
      return open.client;
    },
    async closeAll(): Promise<void> {
      await Promise.all(opened.splice(0).map((open) => open.close()));
    },
  };
}

// Each `open()` makes its own connections, as a second server process would, over one shared prefix.

export function sessionStoreFactory(kind: ClientKind, url: () => string): ContractFactory<SessionStore> {
  return () => {
    const prefix = testPrefix();
    const pool = connections(kind, url());
    return {
      open: async () => new RedisSessionStore({ client: await pool.connect(), prefix }),
      cleanup: () => pool.closeAll(),
    };
  };
}

export function streamManagerFactory(kind: ClientKind, url: () => string): ContractFactory<StreamManager> {
  return () => {
    const prefix = testPrefix();
    const pool = connections(kind, url());
    const managers: RedisStreamManager[] = [];
    return {
      open: async () => {
        const manager = new RedisStreamManager({
          client: await pool.connect(),
          pubSubClient: await pool.connect(),
          prefix,
        });
        managers.push(manager);
        return manager;
      },
      cleanup: async () => {
        await Promise.all(managers.map((manager) => manager.close()));
        for (const manager of managers)
          if (manager.channelCount !== 0) throw new Error("a channel subscription leaked");
        await pool.closeAll();
      },
    };
  };
}

export function eventStoreFactory(
  kind: ClientKind,
  url: () => string,
): ContractFactory<EventStore, [EventStoreLimits]> {
  return () => {
    const prefix = testPrefix();
    const pool = connections(kind, url());
    return {
      open: async (limits) => new RedisEventStore({ client: await pool.connect(), prefix, ...limits }),
      cleanup: () => pool.closeAll(),
    };
  };
}
