export {
  type ExampleServer,
  type ExampleServerOptions,
  type ExitedProcess,
  ROOT,
  runExampleToExit,
  startExampleServer,
} from "./example-server.js";
export { rawPost } from "./raw-http.js";
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
export { freshRunDir } from "./run-dir.js";
