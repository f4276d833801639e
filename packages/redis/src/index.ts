export {
  type ConnectionOptions,
  fromIoRedis,
  fromNodeRedis,
  type IoRedisClient,
  type NodeRedisClient,
  type RedisClient,
  type RedisClientInput,
  type RedisConnection,
  type StreamEntry,
  toRedisConnection,
  toStoreError,
} from "./connection.js";
export { RedisEventStore, type RedisEventStoreOptions } from "./event-store.js";
export { DEFAULT_PREFIX, type RedisStoreOptions } from "./options.js";
export { RedisSessionStore } from "./session-store.js";
export { RedisStreamManager, type RedisStreamManagerOptions } from "./stream-manager.js";
