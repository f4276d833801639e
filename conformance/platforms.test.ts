// The official MCP conformance suite (0.1.16 `--suite all`) against the example server on the Workers, Vercel and
// Lambda entries, each without sessions: `wrangler dev --local` with MCP_SESSIONS_MODE=stateless (current wrangler on
// Node 22; the Worker with sessions is conformance/workers-sessions.test.ts), the Vercel route in Vercel's Edge
// runtime, and the Lambda handler through lambda-local-http. Every entry is stateless there, so each must match the
// stateless baseline (conformance/expected-failures.yaml: the four server-to-client scenarios, which fail fast), and
// dns-rebinding-protection must pass: with no host configured, only loopback names are served.
//
// The three platforms start and run concurrently (a healthy run takes seconds). Results and CLI logs stay in
// .conformance/platforms-<timestamp>/ (the last few runs are kept).
import { join } from "node:path";
import { freshRunDir } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baselineFile,
  formatTable,
  provisionConformance,
  RESULTS_DIR,
  type RunResult,
  readBaseline,
  runConformance,
  SUITE_ALL_0_1_16,
} from "../scripts/conformance.mjs";
import { type RunningPlatform, startLambda, startVercelEdge, startWranglerDev } from "./platforms/servers.js";

const VERSION = "0.1.16";
const HOOK_TIMEOUT = 300_000;
const RUN_DIR = freshRunDir(RESULTS_DIR, "platforms-");

const PLATFORMS = {
  "wrangler dev --local, MCP_SESSIONS_MODE=stateless (apps/example/src/worker.ts)": () =>
    startWranglerDev({ mode: "stateless" }),
  "Vercel route in edge-runtime (@mcp-edge/vercel)": startVercelEdge,
  "Lambda handler through lambda-local-http (@mcp-edge/aws-lambda)": startLambda,
} as const;
type Platform = keyof typeof PLATFORMS;

// The default configuration: nothing in this process's environment may list hosts for the Lambda handler, which
// lambda-local runs in this very process.
const ALLOW_LIST_VARIABLES = ["MCP_ALLOWED_HOSTS", "MCP_ALLOWED_ORIGINS"];
const savedEnv = Object.fromEntries(ALLOW_LIST_VARIABLES.map((name) => [name, process.env[name]]));

const running = new Map<Platform, RunningPlatform>();
const runs = new Map<Platform, RunResult>();

async function runOn(platform: Platform, tools: { node: string; cli: string }, outDir: string): Promise<void> {
  const server = await PLATFORMS[platform]();
  running.set(platform, server);
  try {
    const run = await runConformance({ url: server.url, version: VERSION, mode: "stateless", outDir, ...tools });
    console.log(`\n${platform}\n${formatTable(run)}`);
    runs.set(platform, run);
  } catch (error) {
    throw new Error(`${platform}: ${(error as Error).message}\n${server.log()}`);
  } finally {
    running.delete(platform);
    await server.stop();
  }
}

beforeAll(async () => {
  for (const name of ALLOW_LIST_VARIABLES) delete process.env[name];
  const { node, clis } = await provisionConformance({ versions: [VERSION], quiet: true });
  const cli = clis[VERSION];
  if (!cli) throw new Error(`conformance ${VERSION} did not provision`);
  const names = Object.keys(PLATFORMS) as Platform[];
  const outcomes = await Promise.allSettled(
    names.map((platform, i) => runOn(platform, { node, cli }, join(RUN_DIR, `platform-${i}`))),
  );
  const failed = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [String(outcome.reason)] : []));
  if (failed.length > 0) throw new Error(failed.join("\n\n"));
}, HOOK_TIMEOUT);

afterAll(async () => {
  await Promise.all([...running.values()].map((server) => server.stop()));
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value !== undefined) process.env[name] = value;
  }
});

const expectedFailures = new Set(readBaseline(baselineFile("stateless")));

for (const platform of Object.keys(PLATFORMS) as Platform[]) {
  describe(`conformance ${VERSION} --suite all, ${platform}`, () => {
    const run = (): RunResult => {
      const result = runs.get(platform);
      if (!result) throw new Error(`no run on ${platform} (see beforeAll)`);
      return result;
    };

    it("scores stateless 28/32: only the baselined server-to-client scenarios fail", () => {
      const { results, comparison } = run();
      expect([...results.map((r) => r.scenario)].sort()).toEqual([...SUITE_ALL_0_1_16].sort());
      expect(results.filter((r) => r.status === "pass")).toHaveLength(28);
      expect(comparison.unexpectedFailures).toEqual([]);
      expect(comparison.unexpectedPasses).toEqual([]);
    });

    it.each(SUITE_ALL_0_1_16)("%s", (scenario) => {
      const result = run().results.find((r) => r.scenario === scenario);
      expect(result, `${scenario} produced no result (log: ${run().logFile})`).toBeDefined();
      const expected = expectedFailures.has(scenario) ? "fail" : "pass";
      const detail = `${scenario} ${result?.status}, baseline says ${expected}\n  ${[...(result?.failures ?? []), ...(result?.warnings ?? [])].join("\n  ")}`;
      expect(result?.status, detail).toBe(expected);
    });
  });
}
