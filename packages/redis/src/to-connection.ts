import type { IoRedisClient, NodeRedisClient } from "./clients.js";
import type { ConnectionOptions, RedisClientInput, RedisConnection } from "./connection.js";
import { fromIoRedis } from "./ioredis-connection.js";
import { fromNodeRedis } from "./node-redis-connection.js";

function isConnection(value: object): value is RedisConnection {
  const candidate = value as Partial<RedisConnection>;
  return typeof candidate.getEx === "function" && typeof candidate.appendCapped === "function";
}

function isIoRedis(value: object): value is IoRedisClient {
  const candidate = value as Partial<IoRedisClient>;
  return typeof candidate.call === "function" && typeof candidate.pipeline === "function";
}

function isNodeRedis(value: object): value is NodeRedisClient {
  const candidate = value as Partial<NodeRedisClient>;
  return typeof candidate.sendCommand === "function" && "isReady" in candidate && typeof candidate.multi === "function";
}

/** The connection for whatever the stores were given: a node-redis or ioredis client (detected), or a connection. */
export function toRedisConnection(client: RedisClientInput, options: ConnectionOptions = {}): RedisConnection {
  if (isConnection(client)) return client;
  if (isIoRedis(client)) return fromIoRedis(client, options);
  if (isNodeRedis(client)) return fromNodeRedis(client, options);
  throw new TypeError(
    "@mcp-edge/redis: expected a client from the `redis` or `ioredis` package, or a RedisConnection (fromNodeRedis / fromIoRedis)",
  );
}
