#!/usr/bin/env node
// The fuzz suite's long run: the same properties `npm test` runs (test-support/src/fuzz/budget.mjs), each
// with its case count scaled so that together they run about --runs cases.
//
//   node scripts/fuzz.mjs [--runs 100000] [--seed N] [--case-timeout-ms 10000] [--no-build]
//
// It builds the packages the Redis and Node properties consume (their dist/), then runs vitest on the fuzz
// test files with FUZZ_FACTOR, FUZZ_SEED and FUZZ_REPORT set, and prints what ran: per property its cases,
// outcome and duration, then the total. A failure prints fast-check's counterexample and the seed and path
// that replay it. Exit code: 0 when every property held. Node built-ins only.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SEED, FUZZ_BUDGET, FUZZ_BUDGET_TOTAL } from "../test-support/src/fuzz/budget.mjs";
import { bin, run, step, TURBO_ENV } from "./lib.mjs";

const FUZZ_FILES = ["packages/core/test/fuzz/", "packages/redis/test/fuzz", "packages/node/test/fuzz"];
const CONSUMED_PACKAGES = ["@mcp-edge/core", "@mcp-edge/redis", "@mcp-edge/node"];

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100000" },
    seed: { type: "string", default: String(DEFAULT_SEED) },
    "case-timeout-ms": { type: "string", default: "10000" },
    "no-build": { type: "boolean", default: false },
  },
});

const runs = Number(values.runs);
const seed = Number(values.seed);
if (!Number.isFinite(runs) || runs <= 0) throw new Error(`--runs must be a positive number, got ${values.runs}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
const factor = runs / FUZZ_BUDGET_TOTAL;

async function main() {
  if (!values["no-build"]) {
    step(`turbo run build (${CONSUMED_PACKAGES.join(", ")})`);
    const filters = CONSUMED_PACKAGES.map((name) => `--filter=${name}`);
    if ((await run(bin("turbo"), ["run", "build", ...filters], { env: TURBO_ENV })) !== 0) return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), "mcp-edge-fuzz-"));
  const report = join(dir, "report.jsonl");
  const started = Date.now();
  step(`fuzz: ~${runs} cases (factor ${factor.toFixed(2)} over ${FUZZ_BUDGET_TOTAL}), seed ${seed}`);
  const code = await run(bin("vitest"), ["run", ...FUZZ_FILES], {
    env: {
      FUZZ_FACTOR: String(factor),
      FUZZ_SEED: String(seed),
      FUZZ_REPORT: report,
      FUZZ_CASE_TIMEOUT_MS: values["case-timeout-ms"],
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  let lines = [];
  try {
    lines = readFileSync(report, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch {
    console.log("no property reported (did the test files load?)");
  }
  rmSync(dir, { recursive: true, force: true });

  step(`summary (${seconds} s)`);
  let total = 0;
  let failed = 0;
  for (const line of lines) {
    total += line.runs;
    if (line.outcome !== "passed") failed++;
    console.log(
      `${line.outcome.padEnd(7)} ${line.name.padEnd(26)} ${String(line.runs).padStart(7)} cases  ${(line.ms / 1000).toFixed(1)} s`,
    );
  }
  const missing = Object.keys(FUZZ_BUDGET).filter((name) => !lines.some((line) => line.name === name));
  for (const name of missing) console.log(`missing ${name}: it did not run`);
  console.log(`${total} cases, seed ${seed}, ${failed} propert${failed === 1 ? "y" : "ies"} failed, ${seconds} s`);
  return code !== 0 || failed > 0 || missing.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err?.stack ?? String(err));
    process.exit(1);
  },
);
