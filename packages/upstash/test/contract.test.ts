import { eventStoreContract, sessionStoreContract, streamManagerContract } from "@mcp-edge/storage-contract";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { afterAll, beforeAll, describe } from "vitest";
import { eventStoreFactory, sessionStoreFactory, streamManagerFactory, TOKEN, VARIANTS } from "./support.js";

// The shared contract, unchanged, through the real @upstash/redis client, the Upstash REST protocol
// (the bridge) and a real redis-server, once per way a user may configure the client.
let redis: RedisServer;
let bridge: UpstashBridge;
beforeAll(async () => {
  redis = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: redis.url, token: TOKEN });
});
afterAll(async () => {
  await bridge?.close();
  await redis?.stop();
});
const url = () => bridge.url;

for (const variant of VARIANTS) {
  describe(variant.name, () => {
    sessionStoreContract(`upstash (${variant.name})`, sessionStoreFactory(url, variant));
    streamManagerContract(`upstash (${variant.name})`, streamManagerFactory(url, variant));
    eventStoreContract(`upstash (${variant.name})`, eventStoreFactory(url, variant));
  });
}
