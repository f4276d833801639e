// The official conformance alpha (0.2.0-alpha.12) at the 2026-07-28 wire, `--requirements 2026-07-28`, against the
// example server: on Node in both configurations (MCP_MODE=stateless and MCP_MODE=stateful) and on workerd through
// `wrangler dev --local`. Every scored scenario must pass (conformance/expected-failures.2026.yaml lists none).
//
// Both eras against one running server: alpha.12 refuses `--requirements 2025-11-25,2026-07-28` in one `server` run
// ("a run targets one revision at a time"), so each Node server gets two runs one after the other, the 2026 set and
// then the 2025 set, which must still match the mode's 2025 baseline (conformance/expected-failures*.yaml).
//
// The three servers run concurrently (a healthy 2026 run takes about ten seconds, most of it the listen windows).
// Results and CLI logs stay in .conformance/era2026-<timestamp>/ (the last few runs are kept).
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ExampleServer, freshRunDir, startExampleServer } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baselineFile,
  compareToBaseline,
  type Mode,
  parseResultsDir,
  provisionConformance,
  RESULTS_DIR,
  readBaseline,
  type ScenarioResult,
} from "../scripts/conformance.mjs";
import { type RunningPlatform, startWranglerDev } from "./platforms/servers.js";

const VERSION = "0.2.0-alpha.12";
const ERA_2026 = "2026-07-28";
const ERA_2025 = "2025-11-25";
const HOOK_TIMEOUT = 600_000;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BASELINE_2026 = join(ROOT, "conformance", "expected-failures.2026.yaml");
const RUN_DIR = freshRunDir(RESULTS_DIR, "era2026-");

const tools = await provisionConformance({ versions: [VERSION], quiet: true });
const CLI = tools.clis[VERSION] ?? "";

/** A run of one revision's requirements: what the CLI printed and every scenario's result. */
interface RequirementsRun {
  requirements: string;
  url: string;
  exitCode: number;
  logFile: string;
  output: string;
  results: ScenarioResult[];
}

function runCli(args: string[], logFile?: string): Promise<{ exitCode: number; output: string }> {
  const log = logFile ? createWriteStream(logFile) : undefined;
  return new Promise((resolve) => {
    const child = spawn(tools.node, [CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      log?.write(chunk);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error) => {
      output += `\nfailed to start: ${error.message}\n`;
      log?.end();
      resolve({ exitCode: 127, output });
    });
    child.on("close", (code, signal) => {
      log?.end();
      resolve({ exitCode: code ?? (signal ? 1 : 0), output });
    });
  });
}

/** The scored server scenarios of a revision, as `list --requirements` prints them. */
async function scoredScenarios(requirements: string): Promise<string[]> {
  const { exitCode, output } = await runCli(["list", "--requirements", requirements]);
  if (exitCode !== 0) throw new Error(`list --requirements ${requirements} failed:\n${output}`);
  const names: string[] = [];
  let inServer = false;
  for (const line of output.split("\n")) {
    if (/^\S/.test(line) || /^\s*Run and reported/.test(line)) inServer = /^Server scenarios/.test(line);
    const item = /^\s+- (\S+)\s*$/.exec(line);
    if (inServer && item?.[1]) names.push(item[1]);
  }
  return names;
}

async function runRequirements(url: string, requirements: string, outDir: string): Promise<RequirementsRun> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const logFile = join(outDir, "cli.log");
  const { exitCode, output } = await runCli(
    ["server", "--url", url, "--requirements", requirements, "-o", outDir],
    logFile,
  );
  return { requirements, url, exitCode, logFile, output, results: parseResultsDir(outDir, output) };
}

function describeResult(result: ScenarioResult | undefined): string {
  if (!result) return "no result";
  return [`${result.scenario}: ${result.status}`, ...result.failures, ...result.warnings].join("\n  ");
}

function summary(label: string, run: RequirementsRun, scored: string[]): string {
  const lines = run.results
    .filter((r) => scored.includes(r.scenario))
    .map((r) => `  ${r.status === "pass" ? "ok  " : "FAIL"} ${r.scenario}${r.failures[0] ? `  ${r.failures[0]}` : ""}`);
  const passed = run.results.filter((r) => scored.includes(r.scenario) && r.status === "pass").length;
  return `${label}: --requirements ${run.requirements}, ${passed}/${scored.length} scored scenarios pass (CLI exit ${run.exitCode}, log ${run.logFile})\n${lines.join("\n")}`;
}

const SCORED_2026 = await scoredScenarios(ERA_2026);
const SCORED_2025 = await scoredScenarios(ERA_2025);
const EXPECTED_2026 = new Set(readBaseline(BASELINE_2026));

it("alpha.12 scores 37 server scenarios for 2026-07-28 and refuses both revisions in one server run", async () => {
  expect(SCORED_2026).toHaveLength(37);
  expect(SCORED_2026).toEqual(
    expect.arrayContaining(["server-stateless", "caching", "input-required-result-multi-round"]),
  );
  // The reason each Node server below is run twice.
  const both = await runCli(["server", "--url", "http://127.0.0.1:9/mcp", "--requirements", `${ERA_2025},${ERA_2026}`]);
  expect(both.exitCode).not.toBe(0);
  expect(both.output).toMatch(/one revision at a time/i);
});

interface NodeRun {
  server: ExampleServer;
  era2026: RequirementsRun;
  era2025: RequirementsRun;
}

const nodeRuns = new Map<Mode, Promise<NodeRun>>();
const started: ExampleServer[] = [];
let wrangler: RunningPlatform | undefined;
let wranglerRun: Promise<RequirementsRun> | undefined;

/** One example server in `mode`: the 2026 set, then the 2025 set, against the same running process. */
async function runNode(mode: Mode): Promise<NodeRun> {
  const server = await startExampleServer({ env: { MCP_MODE: mode } });
  started.push(server);
  const era2026 = await runRequirements(server.url, ERA_2026, join(RUN_DIR, `node-${mode}-2026`));
  const era2025 = await runRequirements(server.url, ERA_2025, join(RUN_DIR, `node-${mode}-2025`));
  console.log(
    `${summary(`example on Node, MCP_MODE=${mode}`, era2026, SCORED_2026)}\n${summary(`same server`, era2025, SCORED_2025)}`,
  );
  return { server, era2026, era2025 };
}

async function runWrangler(): Promise<RequirementsRun> {
  wrangler = await startWranglerDev();
  try {
    const run = await runRequirements(wrangler.url, ERA_2026, join(RUN_DIR, "wrangler-2026"));
    console.log(summary("wrangler dev --local (apps/example/src/worker.ts)", run, SCORED_2026));
    return run;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${wrangler.log()}`);
  }
}

function startAll(): void {
  for (const mode of ["stateless", "stateful"] as const) {
    if (!nodeRuns.has(mode)) {
      const run = runNode(mode);
      run.catch(() => {}); // awaited, and reported, by the describe that needs it
      nodeRuns.set(mode, run);
    }
  }
  if (!wranglerRun) {
    wranglerRun = runWrangler();
    wranglerRun.catch(() => {});
  }
}

afterAll(async () => {
  await Promise.all([...started.map((server) => server.stop()), wrangler?.stop()]);
});

function expectScoredSetPasses(run: () => RequirementsRun): void {
  it("ran every scored scenario", () => {
    const ran = run().results.map((r) => r.scenario);
    expect(ran).toEqual(expect.arrayContaining(SCORED_2026));
  });

  it.each(SCORED_2026)("%s", (scenario) => {
    const result = run().results.find((r) => r.scenario === scenario);
    const expected = EXPECTED_2026.has(scenario) ? "fail" : "pass";
    expect(result?.status, `${describeResult(result)}\n(log: ${run().logFile})`).toBe(expected);
  });
}

for (const mode of ["stateless", "stateful"] as const) {
  describe(`conformance ${VERSION}, example on Node, MCP_MODE=${mode}`, () => {
    let result: NodeRun | undefined;
    beforeAll(async () => {
      startAll();
      result = await nodeRuns.get(mode);
    }, HOOK_TIMEOUT);
    const run = (): NodeRun => {
      if (!result) throw new Error(`no run for ${mode} (see beforeAll)`);
      return result;
    };

    describe(`--requirements ${ERA_2026}`, () => {
      expectScoredSetPasses(() => run().era2026);
    });

    describe(`--requirements ${ERA_2025}, the same server right after`, () => {
      it("matches the mode's 2025 baseline", () => {
        const { era2025 } = run();
        const scored = era2025.results.filter((r) => SCORED_2025.includes(r.scenario));
        expect(scored.map((r) => r.scenario).sort()).toEqual([...SCORED_2025].sort());
        const comparison = compareToBaseline(scored, readBaseline(baselineFile(mode)));
        const detail = comparison.verdicts
          .filter((v) => !v.ok)
          .map((v) => describeResult(v))
          .join("\n");
        expect(comparison.unexpectedFailures, detail).toEqual([]);
        expect(comparison.unexpectedPasses, detail).toEqual([]);
      });
    });

    it("the server stayed up and reported no unhandled failure", () => {
      const { server } = run();
      expect(server.alive(), server.stderr()).toBe(true);
      expect(server.stderr()).not.toMatch(/unhandled|uncaught/i);
    });
  });
}

describe(`conformance ${VERSION} --requirements ${ERA_2026}, wrangler dev --local (workerd)`, () => {
  let result: RequirementsRun | undefined;
  beforeAll(async () => {
    startAll();
    result = await wranglerRun;
  }, HOOK_TIMEOUT);
  expectScoredSetPasses(() => {
    if (!result) throw new Error("no wrangler run (see beforeAll)");
    return result;
  });
});
