// The official MCP conformance suite against the example server, run as a real child process in each mode.
//
// Both pinned CLI versions (0.1.16 `--suite all`, 0.2.0-alpha.12 `--requirements 2025-11-25`) run once per mode, and
// both modes run concurrently (the first beforeAll starts everything): an unanswered server-to-client request costs
// the CLI 30-60 s, so a stateless run takes about four minutes. Each scenario is then one test that asserts exactly
// what the mode's baseline says (conformance/expected-failures*.yaml). Results and CLI logs stay in .conformance/.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freshRunDir } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baselineFile,
  CONFORMANCE_VERSIONS,
  formatTable,
  listScenarios,
  type Mode,
  provisionConformance,
  RESULTS_DIR,
  type RunResult,
  readBaseline,
  runConformance,
  SUITE_ALL_0_1_16,
  waitForServer,
} from "../scripts/conformance.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ENTRY = join(ROOT, "apps/example/dist/node.js");
const HOOK_TIMEOUT = 600_000;

// Collection needs the scenario names, so provisioning (a no-op when scripts/test.mjs already did it) and listing
// happen here; the run itself proves the listed names are exactly the ones it produced.
const tools = await provisionConformance({ quiet: true });
const scenarios: Record<string, string[]> = {};
for (const version of CONFORMANCE_VERSIONS) {
  scenarios[version] = await listScenarios(version, { node: tools.node, cli: tools.clis[version] });
}

// This run's results go to .conformance/test-<timestamp>/<mode>-<version>/; only the last few runs are kept.
const RUN_DIR = freshRunDir(RESULTS_DIR, "test-");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface ModeRun {
  runs: Record<string, RunResult>;
  serverLog: string;
}

// Each mode's server, while it runs (runMode stops it once its CLIs are done; the hooks below are safety nets).
const children = new Map<Mode, ChildProcess>();
process.on("exit", () => {
  for (const child of children.values()) child.kill("SIGKILL");
});

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Start the example server in `mode`, run every CLI version against it concurrently, stop the server. */
async function runMode(mode: Mode): Promise<ModeRun> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: build the workspace first (turbo run build)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", MCP_MODE: mode },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.set(mode, child);
  child.once("exit", () => children.delete(mode));
  let serverLog = "";
  child.stdout?.on("data", (d: Buffer) => {
    serverLog += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    serverLog += d.toString();
  });
  try {
    await waitForServer(url, { timeoutMs: 30_000, isAlive: () => child.exitCode === null });
    const list = await Promise.all(
      CONFORMANCE_VERSIONS.map((version) =>
        runConformance({
          url,
          version,
          mode,
          node: tools.node,
          cli: tools.clis[version],
          outDir: join(RUN_DIR, `${mode}-${version}`),
        }),
      ),
    );
    const runs: Record<string, RunResult> = {};
    for (const r of list) {
      runs[r.version] = r;
      console.log(`\n${formatTable(r)}`);
    }
    return { runs, serverLog };
  } catch (err) {
    throw new Error(`${mode} conformance run failed: ${(err as Error).message}\nserver output:\n${serverLog}`);
  } finally {
    await stop(child);
  }
}

// Both modes start together on first use; each describe awaits its own.
const started = new Map<Mode, Promise<ModeRun>>();
function modeRun(mode: Mode): Promise<ModeRun> {
  let p = started.get(mode);
  if (!p) {
    p = runMode(mode);
    p.catch(() => {}); // awaited (and reported) by the mode's own beforeAll
    started.set(mode, p);
  }
  return p;
}

const MODE_LIST: Mode[] = ["stateless", "stateful"];

it("conformance 0.1.16 lists exactly the 32 scenarios of --suite all", () => {
  expect([...(scenarios["0.1.16"] ?? [])].sort()).toEqual([...SUITE_ALL_0_1_16].sort());
});

for (const mode of MODE_LIST) {
  describe(`conformance, example server with MCP_MODE=${mode}`, () => {
    const expectedFailures = new Set(readBaseline(baselineFile(mode)));
    let result: ModeRun | undefined;

    beforeAll(async () => {
      for (const m of MODE_LIST) modeRun(m);
      result = await modeRun(mode);
    }, HOOK_TIMEOUT);

    afterAll(async () => {
      // Only this mode's server: the other mode's run may still be going.
      const child = children.get(mode);
      if (child) await stop(child);
    });

    for (const version of CONFORMANCE_VERSIONS) {
      describe(`@modelcontextprotocol/conformance ${version}`, () => {
        const run = (): RunResult => {
          const r = result?.runs[version];
          if (!r) throw new Error(`no ${version} run (see beforeAll)`);
          return r;
        };

        it("ran every listed scenario and nothing else", () => {
          const ran = run().results.map((r) => r.scenario);
          expect(ran.length).toBeGreaterThan(0);
          expect([...ran].sort()).toEqual([...(scenarios[version] ?? [])].sort());
          if (version === "0.1.16") expect(ran).toEqual(expect.arrayContaining(SUITE_ALL_0_1_16));
        });

        it.each(scenarios[version] ?? [])("%s", (scenario) => {
          const r = run().results.find((x) => x.scenario === scenario);
          expect(r, `${scenario} produced no result (log: ${run().logFile})`).toBeDefined();
          const expected = expectedFailures.has(scenario) ? "fail" : "pass";
          const detail = `${scenario} ${r?.status}, baseline says ${expected}\n  ${[...(r?.failures ?? []), ...(r?.warnings ?? [])].join("\n  ")}`;
          expect(r?.status, detail).toBe(expected);
        });
      });
    }
  });
}
