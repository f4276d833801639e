#!/usr/bin/env node
// The project's one test command (`npm test`, run by .ci/run). Works on a fresh machine with only Node >= 20 and npm:
//   1. pnpm 12.21.0 (global install, else npx) and `pnpm install --prefer-frozen-lockfile --trust-lockfile`;
//      with CI=true, `git diff --exit-code pnpm-lock.yaml` proves the lockfile did not drift
//   2. lint + format check: `biome check .`
//   3. `turbo run build typecheck --force`, then a typecheck of the conformance test (it imports built packages)
//   4. provision what tests need (Node 22 + conformance CLIs + current wrangler; redis-server from apt when missing)
//   5. one `vitest run` over the workspace (default reporter on screen, JSON to .test-results/vitest.json)
//   6. the closing line `N passed, M failed[, K skipped]`; non-zero exit if anything failed or no test ran.
// Every step runs even when an earlier non-install step failed, so one run shows every problem. Node built-ins only.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { provisionConformance } from "./conformance.mjs";
import { bin, capture, ensurePnpm, pnpmInstall, ROOT, run, step, TURBO_ENV } from "./lib.mjs";
import { provisionWrangler, WRANGLER_VERSION } from "./wrangler.mjs";

const RESULTS_FILE = join(ROOT, ".test-results", "vitest.json");
const CI = /^(1|true|yes)$/i.test(process.env.CI ?? "");
const problems = [];
const started = Date.now();

/**
 * Make sure redis-server is installed (Debian's package, as shared/TOOLCHAIN.md says): the storage and distributed
 * tests start their own servers on free loopback ports through @mcp-edge/test-support, which would otherwise install
 * it inside a test hook. Installing here keeps that cost out of the tests. Nothing is left running.
 */
async function provisionRedisServer() {
  if (capture("redis-server", ["--version"]).status === 0) return;
  const apt = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const [cmd = "apt-get", ...pre] = [...apt, "apt-get"];
  if ((await run(cmd, [...pre, "update", "-qq"])) !== 0) throw new Error("apt-get update failed");
  const code = await run(cmd, [...pre, "install", "-y", "-qq", "redis-server"], {
    env: { DEBIAN_FRONTEND: "noninteractive" },
  });
  if (code !== 0 || capture("redis-server", ["--version"]).status !== 0)
    throw new Error("apt-get install redis-server failed");
}

/**
 * Parse vitest's JSON report into counts. In a file that failed (an import or a hook threw), tests vitest reports as
 * skipped never ran because of that failure: they count as failed, and a failed file with no tests counts as one.
 */
function countResults(file) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    const by = (status) => tests.filter((t) => t.status === status).length;
    const notRun = by("skipped") + by("pending");
    passed += by("passed");
    failed += by("failed");
    skipped += by("todo");
    if (suite.status === "failed") {
      const lost = Math.max(notRun, by("failed") === 0 ? 1 : 0);
      failed += lost;
      if (lost > 0) {
        const why = (suite.message ?? "").split("\n")[0] || "a hook failed";
        console.log(`${relative(ROOT, suite.name)}: ${lost} test(s) did not run (${why})`);
      }
    } else skipped += notRun;
  }
  return { passed, failed, skipped };
}

async function main() {
  // 1. pnpm + install
  step(`node ${process.version}, CI=${CI}`);
  const pnpm = await ensurePnpm();
  if ((await pnpmInstall(pnpm)) !== 0) {
    console.log("pnpm install failed: nothing else can run");
    return summary(null);
  }
  if (CI) {
    if (capture("git", ["rev-parse", "--is-inside-work-tree"]).stdout === "true") {
      step("git diff --exit-code pnpm-lock.yaml (the lockfile must not drift)");
      if ((await run("git", ["--no-pager", "diff", "--exit-code", "--stat", "--", "pnpm-lock.yaml"])) !== 0) {
        problems.push("pnpm-lock.yaml changed during install: run `pnpm install` and commit the lockfile");
      }
    } else {
      console.log("not a git work tree: skipping the lockfile drift check");
    }
  }

  // 2. lint + format
  step("biome check .");
  if ((await run(bin("biome"), ["check", "."])) !== 0) problems.push("biome check failed (try `pnpm format`)");
  // 3. build + typecheck
  step("turbo run build typecheck --force");
  if ((await run(bin("turbo"), ["run", "build", "typecheck", "--force"], { env: TURBO_ENV })) !== 0) {
    problems.push("turbo run build typecheck failed");
  }
  // After the build: the conformance servers import the built platform packages and the example.
  step("tsc -p conformance/tsconfig.json (the conformance test and its runner's types)");
  if ((await run(bin("tsc"), ["-p", "conformance/tsconfig.json"])) !== 0) problems.push("conformance typecheck failed");

  // 4. provision what the tests need
  step("provisioning test dependencies");
  try {
    const { node, clis } = await provisionConformance();
    console.log(
      `conformance: node ${node}\n${Object.entries(clis)
        .map(([v, p]) => `  ${v}: ${p}`)
        .join("\n")}`,
    );
  } catch (err) {
    problems.push(`conformance provisioning failed: ${err.message}`);
  }
  try {
    const { node, wrangler } = await provisionWrangler();
    console.log(`wrangler ${WRANGLER_VERSION}: ${node} ${wrangler}`);
  } catch (err) {
    problems.push(`wrangler provisioning failed: ${err.message}`);
  }
  try {
    await provisionRedisServer();
  } catch (err) {
    problems.push(`redis-server provisioning failed: ${err.message}`);
  }

  // 5. vitest, once over the workspace
  step("vitest run");
  rmSync(RESULTS_FILE, { force: true });
  mkdirSync(join(ROOT, ".test-results"), { recursive: true });
  const vitestCode = await run(bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${RESULTS_FILE}`,
  ]);

  let counts = null;
  if (existsSync(RESULTS_FILE)) {
    try {
      counts = countResults(RESULTS_FILE);
    } catch (err) {
      problems.push(`unreadable vitest JSON report: ${err.message}`);
    }
  } else {
    problems.push("vitest wrote no JSON report");
  }
  if (vitestCode !== 0 && !(counts && counts.failed > 0)) problems.push(`vitest exited with code ${vitestCode}`);
  return summary(counts);
}

function summary(counts) {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\n==> summary (${seconds} s)`);
  if (!counts) problems.push("no test results");
  else if (counts.passed + counts.failed === 0) problems.push("zero tests ran");
  for (const p of problems) console.log(`FAILED: ${p}`);
  const c = counts ?? { passed: 0, failed: 0, skipped: 0 };
  console.log(`${c.passed} passed, ${c.failed} failed${c.skipped > 0 ? `, ${c.skipped} skipped` : ""}`);
  return problems.length > 0 || c.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.stack ?? String(err));
    console.log("0 passed, 0 failed");
    process.exit(1);
  },
);
