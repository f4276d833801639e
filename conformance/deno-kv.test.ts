// The official MCP conformance suite (0.1.16 `--suite all`) against the example's Deno entry
// (apps/example/src/deno-kv/main.ts) served by real `deno serve`: with sessions, cross-request delivery
// and SSE replay in a file-backed Deno KV database (every scenario must pass, 32/32), and stateless
// (the baselined server-to-client scenarios fail by design, 28/32). Both runs go concurrently.
// Results and CLI logs stay in .conformance/deno-kv-<timestamp>/.
import { join } from "node:path";
import { freshRunDir } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bundleDenoExample,
  type DenoServer,
  type ExampleBundle,
  startDenoServe,
} from "../packages/deno-kv/test/serve-example.js";
import {
  baselineFile,
  formatTable,
  type Mode,
  provisionConformance,
  RESULTS_DIR,
  type RunResult,
  readBaseline,
  runConformance,
  SUITE_ALL_0_1_16,
} from "../scripts/conformance.mjs";

const VERSION = "0.1.16";
const HOOK_TIMEOUT = 300_000;
const RUN_DIR = freshRunDir(RESULTS_DIR, "deno-kv-");

const RUNS = {
  "deno serve, MCP_STORE=deno-kv (file-backed Deno KV)": { mode: "stateful", passes: 32 },
  "deno serve, MCP_MODE=stateless": { mode: "stateless", passes: 28 },
} as const satisfies Record<string, { mode: Mode; passes: number }>;
type Run = keyof typeof RUNS;

let bundle: ExampleBundle | undefined;
const servers: DenoServer[] = [];
const runs = new Map<Run, RunResult>();

beforeAll(async () => {
  const { node, clis } = await provisionConformance({ versions: [VERSION], quiet: true });
  const cli = clis[VERSION];
  if (!cli) throw new Error(`conformance ${VERSION} did not provision`);
  const built = await bundleDenoExample();
  bundle = built;
  const names = Object.keys(RUNS) as Run[];
  const outcomes = await Promise.allSettled(
    names.map(async (name, i) => {
      const { mode } = RUNS[name];
      const env: Record<string, string> =
        mode === "stateful"
          ? { MCP_STORE: "deno-kv", MCP_DENO_KV_PATH: join(built.dir, "conformance.sqlite"), MCP_MODE: "stateful" }
          : { MCP_MODE: "stateless" };
      const server = await startDenoServe(built, env);
      servers.push(server);
      try {
        const outDir = join(RUN_DIR, `run-${i}`);
        const run = await runConformance({ url: `${server.origin}/mcp`, version: VERSION, mode, outDir, node, cli });
        console.log(`\n${name}\n${formatTable(run)}`);
        runs.set(name, run);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}\n${server.log()}`);
      }
    }),
  );
  const failed = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [String(outcome.reason)] : []));
  if (failed.length > 0) throw new Error(failed.join("\n\n"));
}, HOOK_TIMEOUT);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await bundle?.remove();
});

for (const name of Object.keys(RUNS) as Run[]) {
  const { mode, passes } = RUNS[name];
  const expectedFailures = new Set(readBaseline(baselineFile(mode)));

  describe(`conformance ${VERSION} --suite all, ${name}`, () => {
    const run = (): RunResult => {
      const result = runs.get(name);
      if (!result) throw new Error(`no run for ${name} (see beforeAll)`);
      return result;
    };

    it(`scores ${passes}/32, matching the ${mode} baseline`, () => {
      const { results, comparison } = run();
      expect([...results.map((r) => r.scenario)].sort()).toEqual([...SUITE_ALL_0_1_16].sort());
      expect(results.filter((r) => r.status === "pass")).toHaveLength(passes);
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
