import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { afterAll, beforeAll } from "vitest";
import { TOKEN } from "./support.js";

/**
 * A test file's private redis-server behind the Upstash REST bridge, started before its tests and
 * stopped after them. Returns the bridge's URL once it runs (call it inside tests).
 */
export function useUpstashBridge(): () => string {
  let redis: RedisServer | undefined;
  let bridge: UpstashBridge | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
    bridge = await startUpstashBridge({ redisUrl: redis.url, token: TOKEN });
  });
  afterAll(async () => {
    await bridge?.close();
    await redis?.stop();
  });
  return () => {
    if (!bridge) throw new Error("the Upstash bridge is not running (use its URL inside tests)");
    return bridge.url;
  };
}
