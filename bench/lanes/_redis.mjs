// Our server (the echo tool of _ours.mjs) with every store in Redis (REDIS_URL), as a distributed
// deployment configures it: RedisSessionStore, RedisStreamManager (its own pub/sub connection) and
// RedisEventStore, over node-redis with no offline queue (the @mcp-edge/redis README's advice).
import { RedisEventStore, RedisSessionStore, RedisStreamManager } from "@mcp-edge/redis";
import { connectRedis } from "../lib/redis.mjs";
import { oursServer } from "./_ours.mjs";

/** The stores on one node-redis pair; `prefix` must be the same on every instance of one deployment. */
export function redisStores({ client, pubSubClient }, prefix) {
  return {
    sessionStore: new RedisSessionStore({ client, prefix }),
    streamManager: new RedisStreamManager({ client, pubSubClient, prefix }),
    eventStore: new RedisEventStore({ client, prefix }),
  };
}

export async function oursOnRedis(prefix = "bench:") {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error("lane: set REDIS_URL");
  const clients = await connectRedis(url);
  return oursServer({ stateless: false, responseMode: "json", ...redisStores(clients, prefix) });
}
