// The official MCP conformance suite against the example Worker keeping sessions, served by `wrangler dev --local`
// (current wrangler on Node 22, see scripts/wrangler.mjs) on loopback:
//   - MCP_SESSIONS_MODE=durable-objects: 0.1.16 `--suite all` 32/32 and 0.2.0-alpha.12 `--requirements 2025-11-25`
//     33/33, with no warning;
//   - MCP_SESSIONS_MODE=upstash, against the local Upstash REST bridge over a real redis-server: 0.1.16 32/32, with no
//     warning (server-sse-polling warns when a resumed POST stream never delivers its result).
// Neither run may make workerd log cross-request I/O (one request touching another's streams or fetches).
// The two Workers start and run concurrently. Results and CLI logs stay in .conformance/workers-sessions-<timestamp>/.
import { join } from "node:path";
import { freshRunDir, type RedisServer, startRedisServer } from "@mcp-edge/test-support";
import { startUpstashBridge, type UpstashBridge } from "@mcp-edge/upstash-bridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  formatTable,
  provisionConformance,
  RESULTS_DIR,
  type RunResult,
  runConformance,
  SUITE_ALL_0_1_16,
} from "../scripts/conformance.mjs";
import { type RunningPlatform, startWranglerDev, type WorkerSessionsMode } from "./platforms/servers.js";

const HOOK_TIMEOUT = 400_000;
const RUN_DIR = freshRunDir(RESULTS_DIR, "workers-sessions-");
const TOKEN = "conformance-upstash-token";
const CROSS_REQUEST = /Cannot perform I\/O on behalf of a different request/;

interface Target {
  mode: WorkerSessionsMode;
  versions: string[];
}
const TARGETS: Target[] = [
  { mode: "durable-objects", versions: ["0.1.16", "0.2.0-alpha.12"] },
  { mode: "upstash", versions: ["0.1.16"] },
];

let redis: RedisServer | undefined;
let bridge: UpstashBridge | undefined;
const running = new Set<RunningPlatform>();
const runs = new Map<string, RunResult>();
const logs = new Map<WorkerSessionsMode, string>();

async function runOn(target: Target, tools: { node: string; clis: Record<string, string> }): Promise<void> {
  const vars: Record<string, string> =
    target.mode === "upstash" && bridge ? { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: TOKEN } : {};
  const server = await startWranglerDev({ mode: target.mode, vars });
  running.add(server);
  try {
    for (const version of target.versions) {
      const run = await runConformance({
        url: server.url,
        version,
        mode: "stateful",
        outDir: join(RUN_DIR, `${target.mode}-${version}`),
        node: tools.node,
        cli: tools.clis[version],
      });
      console.log(`\nwrangler dev, MCP_SESSIONS_MODE=${target.mode}\n${formatTable(run)}`);
      runs.set(`${target.mode} ${version}`, run);
    }
  } catch (error) {
    throw new Error(`${target.mode}: ${(error as Error).message}\n${server.log()}`);
  } finally {
    running.delete(server);
    await server.stop();
    logs.set(target.mode, server.log());
  }
}

beforeAll(async () => {
  redis = await startRedisServer();
  bridge = await startUpstashBridge({ redisUrl: redis.url, token: TOKEN });
  const tools = await provisionConformance({ versions: ["0.1.16", "0.2.0-alpha.12"], quiet: true });
  const outcomes = await Promise.allSettled(TARGETS.map((target) => runOn(target, tools)));
  const failed = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [String(outcome.reason)] : []));
  if (failed.length > 0) throw new Error(failed.join("\n\n"));
}, HOOK_TIMEOUT);

afterAll(async () => {
  await Promise.all([...running].map((server) => server.stop()));
  await bridge?.close();
  await redis?.stop();
});

function result(mode: WorkerSessionsMode, version: string): RunResult {
  const run = runs.get(`${mode} ${version}`);
  if (!run) throw new Error(`no ${version} run against ${mode} (see beforeAll)`);
  return run;
}

const EXPECTED: Record<string, { scenarios: number }> = {
  "0.1.16": { scenarios: SUITE_ALL_0_1_16.length },
  "0.2.0-alpha.12": { scenarios: 33 },
};

for (const target of TARGETS) {
  describe(`wrangler dev, MCP_SESSIONS_MODE=${target.mode}`, () => {
    for (const version of target.versions) {
      it(`passes every scenario of conformance ${version} with no warning`, () => {
        const run = result(target.mode, version);
        if (version === "0.1.16")
          expect(run.results.map((r) => r.scenario).sort()).toEqual([...SUITE_ALL_0_1_16].sort());
        expect(run.results).toHaveLength(EXPECTED[version]?.scenarios ?? -1);
        const failing = run.results.filter((r) => r.status !== "pass").map((r) => `${r.scenario}: ${r.failures}`);
        expect(failing, `log: ${run.logFile}`).toEqual([]);
        const warned = run.results.filter((r) => r.warnings.length > 0).map((r) => `${r.scenario}: ${r.warnings}`);
        expect(warned, `log: ${run.logFile}`).toEqual([]);
      });
    }

    it("made workerd log no cross-request I/O", () => {
      const log = logs.get(target.mode);
      expect(log, "wrangler's output was not kept").toBeDefined();
      expect(log).not.toMatch(CROSS_REQUEST);
    });
  });
}
