export {
  ensureRedisServer,
  freePort,
  type RedisServer,
  type RedisServerOptions,
  startRedisServer,
} from "./redis-server.js";
export {
  type RoundRobinProxy,
  type RoundRobinProxyOptions,
  startRoundRobinProxy,
  UPSTREAM_HEADER,
} from "./round-robin-proxy.mjs";
