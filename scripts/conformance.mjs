#!/usr/bin/env node
// Runs the official MCP conformance suite (npm @modelcontextprotocol/conformance) against a server URL and judges the
// results against the project's baseline of expected failures.
//
//   node scripts/conformance.mjs --url http://127.0.0.1:3000/mcp [--mode auto|stateless|stateful]
//                                [--version 0.1.16|0.2.0-alpha.12|all] [--out DIR] [--quiet]
//
// The CLI needs Node >= 22 (it imports fs.globSync). When the system Node is older, a Node 22 binary is installed from
// the npm package node-<platform>-<arch>@22 into .tools/node22 (gitignored) and reused. Each pinned CLI version is
// installed into .tools/conformance-<version>. Nothing here needs the network after those installs.
//
// Verdicts are ours, not the CLI's: a scenario fails when one of its checks has status FAILURE (WARNING and INFO do
// not fail it; see shared/PROTOCOL.md section 4). The CLI's own --expected-failures logic also counts WARNINGs as
// failures (e.g. server-sse-multiple-streams warns on a stateless server), so its exit code is reported, not used.
//
// Also imported by conformance/conformance.test.ts. Node built-ins only.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { capture, ROOT, run, step } from "./lib.mjs";

export const TOOLS_DIR = join(ROOT, ".tools");
export const RESULTS_DIR = join(ROOT, ".conformance");
export const CONFORMANCE_VERSIONS = ["0.1.16", "0.2.0-alpha.12"];
export const MODES = ["stateless", "stateful"];

/** The 32 server scenarios of conformance 0.1.16 `--suite all` (30 scored for 2025-11-25 + 2 pending). */
export const SUITE_ALL_0_1_16 = [
  "server-initialize",
  "logging-set-level",
  "ping",
  "completion-complete",
  "tools-list",
  "tools-call-simple-text",
  "tools-call-image",
  "tools-call-audio",
  "tools-call-embedded-resource",
  "tools-call-mixed-content",
  "tools-call-with-logging",
  "tools-call-error",
  "tools-call-with-progress",
  "tools-call-sampling",
  "tools-call-elicitation",
  "json-schema-2020-12",
  "elicitation-sep1034-defaults",
  "server-sse-polling",
  "server-sse-multiple-streams",
  "elicitation-sep1330-enums",
  "resources-list",
  "resources-read-text",
  "resources-read-binary",
  "resources-templates-read",
  "resources-subscribe",
  "resources-unsubscribe",
  "prompts-list",
  "prompts-get-simple",
  "prompts-get-with-args",
  "prompts-get-embedded-resource",
  "prompts-get-with-image",
  "dns-rebinding-protection",
];

/** Arguments selecting the scenario set for each pinned CLI version. */
export function suiteArgs(version) {
  if (version === "0.1.16") return ["--suite", "all"];
  if (version.startsWith("0.2.")) return ["--requirements", "2025-11-25"];
  throw new Error(`unsupported conformance version ${version} (known: ${CONFORMANCE_VERSIONS.join(", ")})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------------------------------------------

function nodeMajor(binary) {
  const r = capture(binary, ["--version"]);
  const m = /^v(\d+)\./.exec(r.stdout);
  return m ? Number(m[1]) : 0;
}

/**
 * `npm install --prefix <dir> <spec>`, made safe against concurrent callers: install into a private temp dir, then
 * rename it into place (if another process won the race, keep theirs).
 */
export async function npmInstallInto(dir, spec, { quiet = false } = {}) {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const args = ["install", "--prefix", tmp, "--no-audit", "--no-fund", "--loglevel=error", spec];
  const code = await run("npm", args, quiet ? { stdio: ["ignore", "ignore", "inherit"] } : {});
  if (code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`npm install ${spec} failed with exit code ${code}`);
  }
  try {
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err;
  }
}

/**
 * A Node >= 22 binary for the conformance CLI: $CONFORMANCE_NODE if set, the running Node if new enough, else the one
 * from npm `node-<platform>-<arch>@22` installed in .tools/node22 (installed once, then reused).
 */
export async function ensureNode22({ quiet = false } = {}) {
  const fromEnv = process.env.CONFORMANCE_NODE;
  if (fromEnv) {
    if (nodeMajor(fromEnv) < 22) throw new Error(`CONFORMANCE_NODE=${fromEnv} is not Node >= 22`);
    return fromEnv;
  }
  if (nodeMajor(process.execPath) >= 22) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(TOOLS_DIR, "node22");
  const binary = join(dir, "node_modules", pkg, "bin", "node");
  if (existsSync(binary) && nodeMajor(binary) === 22) return binary;
  if (!quiet) step(`installing a Node 22 binary for the conformance CLI (npm ${pkg}@22 into .tools/node22)`);
  await npmInstallInto(dir, `${pkg}@22`, { quiet });
  if (nodeMajor(binary) !== 22) throw new Error(`${binary} did not install as a working Node 22 binary`);
  return binary;
}

/** Path of the CLI entry (dist/index.js) of a pinned conformance version, installing it once into .tools. */
export async function ensureConformanceCli(version, { quiet = false } = {}) {
  suiteArgs(version); // validates the version
  const dir = join(TOOLS_DIR, `conformance-${version}`);
  const pkgDir = join(dir, "node_modules", "@modelcontextprotocol", "conformance");
  const installedVersion = () => {
    try {
      return JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
    } catch {
      return undefined;
    }
  };
  if (installedVersion() !== version) {
    if (!quiet) step(`installing @modelcontextprotocol/conformance@${version} into .tools/conformance-${version}`);
    await npmInstallInto(dir, `@modelcontextprotocol/conformance@${version}`, { quiet });
    if (installedVersion() !== version) throw new Error(`conformance ${version} did not install into ${dir}`);
  }
  return join(pkgDir, "dist", "index.js");
}

/** Everything the conformance runs need: { node, clis: { [version]: cliPath } }. Idempotent and fast when present. */
export async function provisionConformance({ versions = CONFORMANCE_VERSIONS, quiet = false } = {}) {
  // Independent npm installs into separate prefixes: run them side by side.
  const [node, ...paths] = await Promise.all([
    ensureNode22({ quiet }),
    ...versions.map((version) => ensureConformanceCli(version, { quiet })),
  ]);
  return { node, clis: Object.fromEntries(versions.map((version, i) => [version, paths[i]])) };
}

// ---------------------------------------------------------------------------------------------------------------
// Baseline
// ---------------------------------------------------------------------------------------------------------------

/** Baseline file per mode: stateless keeps the server-to-client scenarios; stateful expects zero failures. */
export function baselineFile(mode) {
  if (!MODES.includes(mode)) throw new Error(`unknown mode ${mode} (known: ${MODES.join(", ")})`);
  return join(ROOT, "conformance", mode === "stateless" ? "expected-failures.yaml" : "expected-failures.stateful.yaml");
}

/**
 * Read the `server:` list of an expected-failures YAML file (the CLI's format). Only the subset the CLI documents is
 * understood: `server:` followed by `  - name` items, or `server: []`; `#` comments allowed. Entries may be
 * `scenario` or `scenario:check-id` (a single expected failing check, as 0.2.x understands).
 */
export function readBaseline(file) {
  if (!existsSync(file)) return [];
  const entries = [];
  let section;
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").replace(/^#.*$/, "");
    if (!line.trim()) continue;
    const key = /^([A-Za-z_]+):\s*(\[\s*\])?\s*$/.exec(line);
    if (key) {
      section = key[1];
      continue;
    }
    const item = /^\s+-\s+["']?([^"'\s]+)["']?\s*$/.exec(line);
    if (!item) throw new Error(`${file}: cannot parse line ${JSON.stringify(raw)}`);
    if (section === "server") entries.push(item[1]);
  }
  return entries;
}

/**
 * Compare results with baseline entries. Returns per-scenario verdicts plus the lists of unexpected failures,
 * unexpected passes (stale baseline entries) and expected failures.
 */
export function compareToBaseline(results, baseline) {
  const whole = new Set();
  const byCheck = new Map();
  for (const entry of baseline) {
    const i = entry.indexOf(":");
    if (i === -1) whole.add(entry);
    else {
      const [scenario, check] = [entry.slice(0, i), entry.slice(i + 1)];
      if (!byCheck.has(scenario)) byCheck.set(scenario, new Set());
      byCheck.get(scenario).add(check);
    }
  }
  const verdicts = [];
  for (const r of results) {
    const expected = whole.has(r.scenario) || byCheck.has(r.scenario) ? "fail" : "pass";
    let ok = r.status === expected;
    if (ok && byCheck.has(r.scenario)) {
      // Per-check baseline: every failing check must be listed.
      const allowed = byCheck.get(r.scenario);
      ok = r.failedChecks.every((id) => allowed.has(id));
    }
    verdicts.push({ ...r, expected, ok });
  }
  return {
    verdicts,
    unexpectedFailures: verdicts.filter((v) => !v.ok && v.status === "fail").map((v) => v.scenario),
    unexpectedPasses: verdicts.filter((v) => !v.ok && v.status === "pass").map((v) => v.scenario),
    expectedFailures: verdicts.filter((v) => v.ok && v.status === "fail").map((v) => v.scenario),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------------

const RESULT_DIR_RE = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
const SUMMARY_LINE_RE = /^[✓✗] (\S+): (\d+) passed, (\d+) failed(?:, (\d+) warnings)?\s*$/;

function describeCheck(check) {
  const msg = check.errorMessage ?? check.details?.message ?? check.description ?? "";
  return `${check.id ?? check.name}: ${msg}`.trim();
}

/** One scenario's result from its checks: { scenario, status, failures, warnings, failedChecks, checks }. */
export function scenarioResult(scenario, checks) {
  const failing = checks.filter((c) => c.status === "FAILURE");
  return {
    scenario,
    status: failing.length > 0 ? "fail" : "pass",
    failures: failing.map(describeCheck),
    warnings: checks.filter((c) => c.status === "WARNING").map(describeCheck),
    failedChecks: failing.map((c) => c.id ?? c.name),
    checks: checks.length,
  };
}

/** Scenario names listed in the CLI's closing summary (`✓ name: N passed, M failed`), in order. */
export function parseSummary(output) {
  const names = [];
  let inSummary = false;
  for (const line of output.split("\n")) {
    if (/^=== (SUITE )?SUMMARY ===/.test(line.trim())) inSummary = true;
    const m = inSummary && SUMMARY_LINE_RE.exec(line.trim());
    if (m) names.push({ scenario: m[1], failed: Number(m[3]), warnings: Number(m[4] ?? 0) });
  }
  return names;
}

/**
 * Parse every checks.json under an output dir (`server-<scenario>-<timestamp>/checks.json`) into per-scenario results,
 * sorted in the CLI's summary order when `output` (the CLI's stdout) is given. A scenario named in the summary but
 * without checks.json (the CLI crashed inside it) becomes a failure.
 */
export function parseResultsDir(dir, output = "") {
  const found = new Map();
  const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const m = RESULT_DIR_RE.exec(entry.name);
    const file = join(dir, entry.name, "checks.json");
    if (!m || !existsSync(file)) continue;
    let checks;
    try {
      checks = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      checks = [{ id: "checks-json", status: "FAILURE", errorMessage: `unreadable checks.json: ${err.message}` }];
    }
    if (!Array.isArray(checks)) checks = [{ id: "checks-json", status: "FAILURE", errorMessage: "not an array" }];
    found.set(m[1], scenarioResult(m[1], checks)); // later timestamps win
  }
  const summary = parseSummary(output);
  for (const { scenario } of summary) {
    if (!found.has(scenario)) {
      const missing = {
        id: "no-checks-json",
        status: "FAILURE",
        errorMessage: "the CLI saved no checks.json (see its log)",
      };
      found.set(scenario, scenarioResult(scenario, [missing]));
    }
  }
  const order = new Map(summary.map((s, i) => [s.scenario, i]));
  return [...found.values()].sort(
    (a, b) => (order.get(a.scenario) ?? 1e9) - (order.get(b.scenario) ?? 1e9) || a.scenario.localeCompare(b.scenario),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------------------------

function timestamp() {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

/**
 * Run one pinned CLI version against `url` and parse its results.
 * Options: version, mode (selects the baseline), outDir (default .conformance/<mode>-<version>-<ts>), echo (stream the
 * CLI's output to this process's stdout as well as to <outDir>/cli.log), node / cli (skip provisioning).
 * Returns { version, mode, url, outDir, logFile, exitCode, durationMs, results, baseline, comparison }.
 */
export async function runConformance({ url, version, mode, outDir, echo = false, node, cli, quiet = true }) {
  const nodeBin = node ?? (await ensureNode22({ quiet }));
  const cliPath = cli ?? (await ensureConformanceCli(version, { quiet }));
  const dir = resolve(outDir ?? join(RESULTS_DIR, `${mode}-${version}-${timestamp()}`));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const baselinePath = baselineFile(mode);
  const args = [cliPath, "server", "--url", url, ...suiteArgs(version), "-o", dir];
  if (existsSync(baselinePath)) args.push("--expected-failures", baselinePath);
  const logFile = join(dir, "cli.log");
  const log = createWriteStream(logFile);
  const started = Date.now();
  let output = "";
  const exitCode = await new Promise((resolvePromise) => {
    const child = spawn(nodeBin, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } });
    const onData = (chunk) => {
      output += chunk.toString();
      log.write(chunk);
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err) => {
      output += `\nfailed to start: ${err.message}\n`;
      resolvePromise(127);
    });
    child.on("close", (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
  await new Promise((r) => log.end(r));
  const results = parseResultsDir(dir, output);
  const baseline = readBaseline(baselinePath);
  return {
    version,
    mode,
    url,
    outDir: dir,
    logFile,
    exitCode,
    durationMs: Date.now() - started,
    results,
    baseline,
    comparison: compareToBaseline(results, baseline),
  };
}

/**
 * The server scenarios a run of `version` executes (with suiteArgs), as the CLI itself lists them: `list --server`
 * for 0.1.x (`--suite all` runs all of them), `list --requirements 2025-11-25` for 0.2.x (scored plus the server
 * scenarios it runs and reports without scoring).
 */
export async function listScenarios(version, { node, cli } = {}) {
  const nodeBin = node ?? (await ensureNode22({ quiet: true }));
  const cliPath = cli ?? (await ensureConformanceCli(version, { quiet: true }));
  const sel = suiteArgs(version);
  const args = sel[0] === "--requirements" ? ["list", ...sel] : ["list", "--server"];
  const r = capture(nodeBin, [cliPath, ...args]);
  if (r.status !== 0) throw new Error(`conformance ${version} ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
  const names = [];
  let inServer = false;
  for (const line of r.stdout.split("\n")) {
    if (/^\S/.test(line)) inServer = /^Server scenarios/.test(line);
    const item = /^\s+- (\S+)(?: \[([^\]]*)\])?\s*$/.exec(line);
    if (!item) continue;
    if (inServer || item[2] === "server") names.push(item[1]);
  }
  return [...new Set(names)];
}

/**
 * Tell a stateful server from a stateless one the way the conformance client meets it: initialize with
 * `Accept: application/json, text/event-stream` and look for an Mcp-Session-Id (deleting the session afterwards).
 */
export async function detectMode(url) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "mcp-edge-conformance-probe", version: "1.0.0" },
      },
    }),
  });
  await res.body?.cancel();
  const sessionId = res.headers.get("mcp-session-id");
  if (!sessionId) return "stateless";
  await fetch(url, { method: "DELETE", headers: { "mcp-session-id": sessionId } })
    .then((r) => r.body?.cancel())
    .catch(() => {});
  return "stateful";
}

/** Poll `url` until the server answers HTTP at all (any status), or throw after timeoutMs. */
export async function waitForServer(url, { timeoutMs = 30_000, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`server exited before answering at ${url}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "ping" }),
        signal: AbortSignal.timeout(2_000),
      });
      await res.body?.cancel();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms (${lastError?.message ?? "no attempt"})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------------------------

function pad(s, n) {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function verdictLabel(v) {
  if (v.ok) return v.status === "fail" ? "ok (base)" : "ok";
  return v.status === "fail" ? "UNEXPECTED" : "STALE BASE";
}

/** A plain-text table of one run's verdicts. */
export function formatTable(runResult) {
  const { verdicts, unexpectedFailures, unexpectedPasses, expectedFailures } = runResult.comparison;
  const width = Math.max(8, ...verdicts.map((v) => v.scenario.length));
  const lines = [
    `conformance ${runResult.version} (${suiteArgs(runResult.version).join(" ")}), mode ${runResult.mode}, ${runResult.url}`,
    `${pad("scenario", width)}  result  expected  verdict      notes`,
    `${"-".repeat(width)}  ------  --------  -----------  -----`,
  ];
  for (const v of verdicts) {
    const verdict = verdictLabel(v);
    const more = v.failures.length > 1 ? ` (+${v.failures.length - 1} more failing checks)` : "";
    const warned = v.warnings.length ? `${v.warnings.length} warning(s): ${v.warnings[0]}` : "";
    const notes = v.failures.length ? `${v.failures[0]}${more}` : warned;
    lines.push(`${pad(v.scenario, width)}  ${pad(v.status, 6)}  ${pad(v.expected, 8)}  ${pad(verdict, 11)}  ${notes}`);
  }
  const passed = verdicts.filter((v) => v.status === "pass").length;
  lines.push(
    "",
    `${verdicts.length} scenarios: ${passed} passed, ${verdicts.length - passed} failed ` +
      `(${expectedFailures.length} expected by the baseline); ${(runResult.durationMs / 1000).toFixed(1)} s; ` +
      `CLI exit code ${runResult.exitCode}; log ${runResult.logFile}`,
  );
  if (unexpectedFailures.length) lines.push(`unexpected failures: ${unexpectedFailures.join(", ")}`);
  if (unexpectedPasses.length) {
    lines.push(`unexpected passes (remove from ${baselineFile(runResult.mode)}): ${unexpectedPasses.join(", ")}`);
  }
  if (verdicts.length === 0) lines.push("no scenario results were found: the run is broken");
  return lines.join("\n");
}

/** True when a run matches its baseline exactly and produced results. */
export function runIsGreen(runResult) {
  const c = runResult.comparison;
  return c.verdicts.length > 0 && c.unexpectedFailures.length === 0 && c.unexpectedPasses.length === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { url: "http://127.0.0.1:3000/mcp", mode: "auto", version: "all", quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--url") opts.url = value();
    else if (a === "--mode") opts.mode = value();
    else if (a === "--version") opts.version = value();
    else if (a === "--out") opts.out = value();
    else if (a === "--quiet") opts.quiet = true;
    else if (a === "--provision-only") opts.provisionOnly = true;
    else if (a === "-h" || a === "--help") opts.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

const USAGE = `usage: node scripts/conformance.mjs [--url URL] [--mode auto|stateless|stateful]
                                  [--version ${CONFORMANCE_VERSIONS.join("|")}|all] [--out DIR] [--quiet]
       node scripts/conformance.mjs --provision-only
Runs the official conformance suite against URL (default http://127.0.0.1:3000/mcp) and judges it against
conformance/expected-failures*.yaml. --mode auto (default) asks the server whether it hands out sessions.
Exits non-zero on an unexpected failure or an unexpected pass of a baselined scenario.`;

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const versions = opts.version === "all" ? CONFORMANCE_VERSIONS : [opts.version];
  const { node, clis } = await provisionConformance({ versions });
  if (opts.provisionOnly) {
    console.log(`node: ${node}`);
    for (const [v, p] of Object.entries(clis)) console.log(`conformance ${v}: ${p}`);
    return 0;
  }
  let mode = opts.mode;
  if (mode === "auto") {
    try {
      mode = await detectMode(opts.url);
    } catch (err) {
      console.error(`cannot reach ${opts.url}: ${err.message}`);
      return 1;
    }
    console.log(`mode: ${mode} (detected)`);
  } else if (!MODES.includes(mode)) {
    console.error(`unknown --mode ${mode}\n${USAGE}`);
    return 2;
  }
  let green = true;
  for (const version of versions) {
    step(`conformance ${version} against ${opts.url} (${mode})`);
    const outDir = opts.out ? join(resolve(opts.out), `${mode}-${version}`) : undefined;
    const result = await runConformance({
      url: opts.url,
      version,
      mode,
      outDir,
      echo: !opts.quiet,
      node,
      cli: clis[version],
    });
    console.log(`\n${formatTable(result)}`);
    green &&= runIsGreen(result);
  }
  console.log(green ? "\nconformance: as expected" : "\nconformance: NOT as expected");
  return green ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err?.stack ?? String(err));
      process.exit(1);
    },
  );
}
