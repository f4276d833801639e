export { ensureRedisServer, freePort, type RedisServer, startRedisServer } from "./redis-server.js";
