export type { IoRedisClient, NodeRedisClient, RedisClient } from "./clients.js";
export {
  type ConnectionOptions,
  type RedisClientInput,
  type RedisConnection,
  type StreamEntry,
  toRedisConnection,
} from "./connection.js";
export { toStoreError } from "./errors.js";
export { RedisEventStore, type RedisEventStoreOptions } from "./event-store.js";
export { fromIoRedis } from "./ioredis-connection.js";
export { fromNodeRedis } from "./node-redis-connection.js";
export { DEFAULT_PREFIX, type RedisStoreOptions } from "./options.js";
export { RedisSessionStore } from "./session-store.js";
export { RedisStreamManager, type RedisStreamManagerOptions } from "./stream-manager.js";
