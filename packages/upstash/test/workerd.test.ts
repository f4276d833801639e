import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { bundleWorker, MINIFLARE_COMPATIBILITY_DATE } from "@mcp-edge/test-support/workerd";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN } from "./support.js";

// Edge-safety, proven rather than promised: the stores inside real workerd (no Node compatibility),
// over @upstash/redis/cloudflare, against the bridge and a real redis-server.
let redis: RedisServer;
let bridge: UpstashBridge;
let dir = "";
let mf: Miniflare | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: redis.url, token: TOKEN });
  dir = await mkdtemp(join(tmpdir(), "mcp-edge-upstash-workerd-"));
  await bundleWorker(fileURLToPath(new URL("./fixture/worker.ts", import.meta.url)), join(dir, "worker.js"));
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "worker.js"),
    modulesRoot: dir,
    // workerd 1.20260426 refuses dates after its own release.
    compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
    bindings: { UPSTASH_URL: bridge.url, UPSTASH_TOKEN: TOKEN },
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
  await bridge?.close();
  await redis?.stop();
});

describe.each(["base64", "plain"])("inside workerd, %s replies", (encoding) => {
  it("stores sessions and events and relays pub/sub", async () => {
    if (!mf) throw new Error("miniflare did not start");
    const response = await mf.dispatchFetch(`http://localhost/?encoding=${encoding}`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const result = JSON.parse(text) as {
      loaded: unknown;
      touched: boolean;
      afterDelete: unknown;
      ids: string[];
      replay: { streamId: string; events: { id: string; message: unknown }[] };
      received: string[];
      channelsLeft: number;
    };
    expect(result.loaded).toEqual({
      v: 1,
      id: "s1",
      protocolVersion: "2025-11-25",
      clientInfo: { name: "workerd-client 🤖", version: "1.0.0" },
      clientCapabilities: { sampling: {} },
      initialized: true,
      subscriptions: ["memo://ü"],
      createdAt: 1,
      lastAccessAt: 1,
    });
    expect(result.touched).toBe(true);
    expect(result.afterDelete).toBeNull();
    expect(result.ids).toHaveLength(3);
    // Bounded to the newest two.
    expect(result.replay).toEqual({
      streamId: "s1.get",
      events: [
        { id: result.ids[1], message: { jsonrpc: "2.0", method: "notifications/progress", params: { n: 2 } } },
        { id: result.ids[2], message: { jsonrpc: "2.0", method: "notifications/progress", params: { n: 3 } } },
      ],
    });
    expect(result.received).toEqual([JSON.stringify({ hello: "wörld" }), "two\nlines"]);
    expect(result.channelsLeft).toBe(0);
  });
});
