import type { ConnectionOptions, RedisClientInput } from "./connection.js";

export { DEFAULT_PREFIX } from "@mcp-edge/redis-kit";

export interface RedisStoreOptions extends ConnectionOptions {
  /** A connected node-redis or ioredis client, or a connection from `fromNodeRedis` / `fromIoRedis`. */
  client: RedisClientInput;
  /**
   * Prepended to every key this package writes (and, for the stream manager, to every channel), so
   * several deployments or environments can share one Redis. Default `mcp:`.
   */
  prefix?: string;
}
