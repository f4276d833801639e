// Turns a run's raw results into medians, same-round ratios, target verdicts, RESULTS.md and the SVG.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import { pinning } from "./proc.mjs";

// ---------------------------------------------------------------------------------------------
// Machine and versions.

function versionOf(dir, pkg) {
  const file = `${dir}/node_modules/${pkg}/package.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : "not installed";
}

/** Newest modification time (ms) of the files under `dir` with one of `exts`, or 0. */
function newest(dir, exts) {
  if (!existsSync(dir)) return 0;
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !exts.some((e) => entry.name.endsWith(e))) continue;
    max = Math.max(max, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return max;
}

/** Which build of our packages the run measured: dist build time, and whether sources changed after it. */
function buildState(repo) {
  return ["core", "node", "redis", "deno-kv"].map((name) => {
    const built = newest(`${repo}packages/${name}/dist`, [".js"]);
    const source = newest(`${repo}packages/${name}/src`, [".ts"]);
    return { name: `@mcp-edge/${name}`, builtAt: new Date(built).toISOString(), sourceNewerThanBuild: source > built };
  });
}

export function machineInfo(bench, repo) {
  const git = (...a) => spawnSync("git", a, { cwd: repo, encoding: "utf8" }).stdout?.trim() ?? "";
  const peer = `${bench}peers/mcp-use`;
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pinning,
    loadAverageStart: os.loadavg(),
    commit: git("rev-parse", "--short", "HEAD"),
    dirty: git("status", "--porcelain", "--", "packages/core", "packages/node") !== "",
    builds: buildState(repo),
    versions: {
      "@mcp-edge/core": JSON.parse(readFileSync(`${repo}packages/core/package.json`, "utf8")).version,
      "@mcp-edge/node": JSON.parse(readFileSync(`${repo}packages/node/package.json`, "utf8")).version,
      "@mcp-edge/redis": JSON.parse(readFileSync(`${repo}packages/redis/package.json`, "utf8")).version,
      "@mcp-edge/deno-kv": JSON.parse(readFileSync(`${repo}packages/deno-kv/package.json`, "utf8")).version,
      "@deno/kv": versionOf(`${repo}packages/deno-kv`, "@deno/kv"),
      "redis (node-redis)": versionOf(bench, "redis"),
      hono: versionOf(bench, "hono"),
      "@hono/node-server": versionOf(bench, "@hono/node-server"),
      "@modelcontextprotocol/sdk": versionOf(bench, "@modelcontextprotocol/sdk"),
      "@modelcontextprotocol/server": versionOf(bench, "@modelcontextprotocol/server"),
      "mcp-lite": versionOf(bench, "mcp-lite"),
      "mcp-use": versionOf(peer, "mcp-use"),
      zod: versionOf(bench, "zod"),
      autocannon: versionOf(bench, "autocannon"),
      esbuild: versionOf(bench, "esbuild"),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics.

export function median(values) {
  const xs = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/**
 * The floor reference of the run at `index` in a round: the mean of the nearest correct floor runs
 * before and after it (one side when the other is missing).
 */
function floorReference(runs, index) {
  const near = [];
  for (let i = index - 1; i >= 0; i--) {
    if (runs[i].id === "floor" && runs[i].status === "ok") {
      near.push(runs[i]);
      break;
    }
  }
  for (let i = index + 1; i < runs.length; i++) {
    if (runs[i].id === "floor" && runs[i].status === "ok") {
      near.push(runs[i]);
      break;
    }
  }
  if (near.length === 0) return undefined;
  const mean = (key) => near.reduce((a, r) => a + r[key], 0) / near.length;
  return { rps: mean("rps"), cpuPerRequestMicros: mean("cpuPerRequestMicros") };
}

function httpSummary(http) {
  const rows = [];
  for (const lane of http.lanes) {
    // One entry per round (the floor has several runs per round: all of them count).
    const perRound = http.rounds.map((runs) => {
      const mine = runs.map((run, index) => ({ run, index })).filter(({ run }) => run.id === lane.id);
      return mine.map(({ run, index }) => {
        if (lane.id === "floor")
          return {
            ...run,
            rpsRatio: run.status === "ok" ? 1 : undefined,
            cpuRatio: run.status === "ok" ? 1 : undefined,
          };
        const floor = run.status === "ok" ? floorReference(runs, index) : undefined;
        return {
          ...run,
          rpsRatio: floor ? run.rps / floor.rps : undefined,
          // > 1: cheaper than the floor; 0.95 means 1.05x the floor's CPU per request.
          cpuRatio: floor && run.cpuPerRequestMicros ? floor.cpuPerRequestMicros / run.cpuPerRequestMicros : undefined,
        };
      });
    });
    const all = perRound.flat();
    const ok = all.filter((r) => r.status === "ok");
    rows.push({
      ...lane,
      roundsOk: ok.length,
      rounds: all.length,
      problems: [...new Set(all.filter((r) => r.status !== "ok").map((r) => `${r.status}: ${r.reason}`))],
      framing: ok[0]?.framing ?? lane.framing,
      rps: median(ok.map((r) => r.rps)),
      cpuPerRequestMicros: median(ok.map((r) => r.cpuPerRequestMicros)),
      rpsRatio: median(all.map((r) => r.rpsRatio)),
      cpuRatio: median(all.map((r) => r.cpuRatio)),
      serverBusy: median(ok.map((r) => r.serverBusy)),
      loadBusy: median(ok.map((r) => r.loadBusy)),
      latencyP99: median(ok.map((r) => r.latencyP99)),
      load1: median(all.map((r) => r.load1)),
      frontCpuPerRequestMicros: median(ok.map((r) => r.frontCpuPerRequestMicros)),
      frontBusy: median(ok.map((r) => r.frontBusy)),
      redisCommandsPerRequest: median(ok.map((r) => r.redis?.commandsPerRequest)),
      redisReadsPerRequest: median(ok.map((r) => r.redis?.readsPerRequest)),
      redisCpuPerRequestMicros: median(ok.map((r) => r.redis?.cpuPerRequestMicros)),
      redisBusy: median(ok.map((r) => r.redis?.busy)),
      perRound,
    });
  }
  return rows;
}

/** Lane a's req/s over lane b's, each normalised to its own floor reference, median over rounds. */
function floorNormalisedRpsRatio(rows, a, b) {
  const A = rows.find((r) => r.id === a);
  const B = rows.find((r) => r.id === b);
  if (!A || !B) return undefined;
  return median(
    A.perRound.map((runs, i) => {
      const x = runs[0]?.rpsRatio;
      const y = B.perRound[i]?.[0]?.rpsRatio;
      return x !== undefined && y !== undefined ? x / y : undefined;
    }),
  );
}

const fmt = (v, digits = 2) => (v === undefined || v === null || Number.isNaN(v) ? "n/a" : v.toFixed(digits));

/**
 * The previous run's HTTP ratios, read from the RESULTS.md it wrote (its HTTP table, rows keyed by lane
 * label), so this run can say whether a row moved; undefined when there is none.
 */
export function previousRun(markdown) {
  // The first table of the section: | lane | answer | req/s | req/s ratio | CPU / req | CPU ratio | ...
  const at = markdown.indexOf(
    "| lane | answer | req/s (median) | req/s ratio |",
    markdown.indexOf("## tools/call over HTTP"),
  );
  if (at < 0) return undefined;
  const lanes = {};
  for (const row of markdown.slice(at).split("\n\n")[0].split("\n").slice(2)) {
    const cells = row.split("|").map((c) => c.trim());
    if (cells.length >= 8) lanes[cells[1]] = { rpsRatio: Number(cells[4]), cpuRatio: Number(cells[6]) };
  }
  if (Object.keys(lanes).length === 0) return undefined;
  return {
    date: markdown.match(/ on (\d{4}-\d{2}-\d{2})\./)?.[1],
    commit: markdown.match(/mcp-edge at commit (\w+)/)?.[1],
    lanes,
  };
}

/** Time to the last stream of stores `a` and `b` (GET streams) at the largest count both measured. */
function fanoutPair(fanout, a, b) {
  const ok = (store) => fanout.filter((f) => f.store === store && (f.kind ?? "get") === "get" && !f.failed);
  const counts = ok(a)
    .map((f) => f.streams)
    .filter((n) => ok(b).some((f) => f.streams === n));
  if (counts.length === 0) return undefined;
  const streams = Math.max(...counts);
  const at = (store) => ok(store).find((f) => f.streams === streams).lastMs;
  return { streams, a: at(a), b: at(b) };
}

export function summarize(results) {
  const failures = [];
  let checked = 0;
  const headlines = [];
  const targets = [];
  const target = (name, goal, measured, pass) => {
    targets.push({ name, goal, measured, verdict: pass === undefined ? "not measured" : pass ? "met" : "MISSED" });
  };
  const notRun = "not measured in this run";

  // Checks: every lane, bundle, session sample and stream answered correctly.
  let http;
  if (results.http) {
    http = httpSummary(results.http);
    for (const lane of http) {
      checked++;
      if (lane.roundsOk < lane.rounds) failures.push(`lane ${lane.id}: ${lane.problems.join(" | ")}`);
    }
  }
  if (results.store?.rows) checked++;
  else if (results.store?.failed) {
    checked++;
    failures.push(`store cost: ${results.store.failed}`);
  }
  for (const entry of results.edge ?? []) {
    if (entry.skipped || !entry.ok || entry.sizeOnly) continue;
    checked++;
    if (!entry.startupOk) failures.push(`bundle ${entry.id}: first answer wrong: ${entry.startupProblem}`);
  }
  for (const row of results.memory ?? []) {
    if (row.skipped) continue;
    checked++;
    if (row.failed) failures.push(`memory ${row.impl}: ${row.failed}`);
    else if (row.sampleAlive !== row.sampleSize)
      failures.push(`memory ${row.impl}: only ${row.sampleAlive}/${row.sampleSize} sessions answer`);
  }
  for (const row of results.fanout ?? []) {
    checked++;
    const what = `fan-out ${row.streams} ${row.kind ?? "get"} (${row.store})`;
    if (row.failed) failures.push(`${what}: ${row.failed}`);
    else if (row.delivered !== row.streams) failures.push(`${what}: delivered to ${row.delivered}`);
  }

  // Targets.
  const lane = Object.fromEntries((http ?? []).map((l) => [l.id, l]));
  const measuredLane = (id) => (lane[id]?.rpsRatio !== undefined ? lane[id] : undefined);
  const ratios = (l) => `req/s ratio ${fmt(l.rpsRatio)}, CPU ratio ${fmt(l.cpuRatio)}`;
  const edge = Object.fromEntries((results.edge ?? []).map((e) => [e.id, e]));
  const size = (id) => (edge[id]?.ok ? edge[id].gzipBytes : undefined);
  const startMs = (id) => (edge[id]?.ok && edge[id].startupOk ? median(edge[id].startupMs ?? []) : undefined);
  const kbText = (bytes) => `${fmt(bytes / 1024, 1)} KB`;
  const why = (id) => edge[id]?.skipped ?? (edge[id] && !edge[id].ok ? "does not bundle" : notRun);
  const sizeTarget = (name, id, limitKb) => {
    const bytes = size(id);
    const ran = edge[id] && !edge[id].skipped;
    const pass = bytes !== undefined ? bytes <= limitKb * 1024 : ran ? false : undefined;
    target(name, `<= ${limitKb} KB`, bytes === undefined ? why(id) : kbText(bytes), pass);
  };

  sizeTarget("Workers bundle, stateless preset + one JSON Schema tool (`ours-plain`, gzip)", "ours-plain", 12);
  sizeTarget("Workers bundle, zod/mini tool (`ours-zod-mini`, gzip)", "ours-zod-mini", 20);
  {
    const ours = size("ours-zod");
    const lite = size("mcp-lite");
    target(
      "Workers bundle, zod/v4 tool (`ours-zod`) vs mcp-lite with the same tool and import (gzip)",
      "below mcp-lite",
      ours && lite
        ? `${kbText(ours)} vs ${kbText(lite)}`
        : `ours-zod: ${ours ? kbText(ours) : why("ours-zod")}; mcp-lite: ${lite ? kbText(lite) : why("mcp-lite")}`,
      ours && lite ? ours < lite : edge["ours-zod"] && !edge["ours-zod"].skipped && !ours ? false : undefined,
    );
  }
  {
    const libraries = [
      ["zod/mini", "ours-zod-mini"],
      ["valibot", "ours-valibot"],
      ["arktype", "ours-arktype"],
      ["zod/v4", "ours-zod"],
    ];
    const ran = libraries.filter(([, id]) => edge[id]);
    target(
      "Schema libraries at their smallest: bundle and import + first answer each",
      "both measured for zod/mini, valibot, arktype, zod/v4",
      ran.length
        ? libraries
            .map(([name, id]) =>
              size(id) !== undefined && startMs(id) !== undefined
                ? `${name} ${kbText(size(id))}, ${fmt(startMs(id), 1)} ms`
                : `${name}: ${edge[id]?.ok && !edge[id].startupOk ? "first answer wrong" : why(id)}`,
            )
            .join("; ")
        : notRun,
      ran.length ? libraries.every(([, id]) => size(id) !== undefined && startMs(id) !== undefined) : undefined,
    );
  }
  for (const [id, name] of [
    ["ours-stateless-json", "Stateless JSON (`@mcp-edge/node`): server CPU per request vs floor"],
    ["ours-stateless-zod-bare", "Stateless JSON, zod tool on the bare `@hono/node-server` bridge: CPU vs floor"],
  ]) {
    const l = measuredLane(id);
    target(
      name,
      ">= 0.95",
      l
        ? `${fmt(l.cpuRatio)} (${fmt(l.cpuPerRequestMicros, 1)} vs ${fmt(lane.floor?.cpuPerRequestMicros, 1)} us; req/s ratio ${fmt(l.rpsRatio)})`
        : notRun,
      l?.cpuRatio === undefined ? undefined : l.cpuRatio >= 0.95,
    );
  }
  for (const [id, name, goal] of [
    ["ours-stateful-memory", "Stateful in memory (session kept, JSON): req/s vs floor", 0.9],
    ["ours-stateless-sse", "SSE framing: req/s vs floor", 0.85],
  ]) {
    const l = measuredLane(id);
    target(
      name,
      `>= ${goal.toFixed(2)}`,
      l ? `${fmt(l.rpsRatio)} (CPU ratio ${fmt(l.cpuRatio)})` : notRun,
      l ? l.rpsRatio >= goal : undefined,
    );
  }
  if (results.store?.rows) {
    const hot = results.store.hotPath;
    const load = hot.underLoad;
    const onRedis = (http ?? []).filter((l) => l.redisCommandsPerRequest !== undefined);
    target(
      "Redis: store round trips per ordinary request",
      "<= 1",
      `${fmt(hot.wireWrites, 0)} (tools/call, ping: ${fmt(hot.operations, 0)} store operation, ${fmt(hot.wireWrites, 0)} round trip, ${fmt(hot.commands, 0)} command \`GETEX\`; ${load.inFlight} in flight: ${fmt(load.wireWrites)} round trips per request${onRedis.length ? `; HTTP lanes: ${onRedis.map((l) => `${l.id} ${fmt(l.redisCommandsPerRequest)} commands, ${fmt(l.redisReadsPerRequest)} Redis reads per request`).join("; ")}` : ""})`,
      hot.operations <= 1 && hot.wireWrites <= 1,
    );
  } else {
    target("Redis: store round trips per ordinary request", "<= 1", results.store?.skipped ?? notRun, undefined);
  }
  {
    const pair = fanoutPair(results.fanout ?? [], "redis", "redis-pubsub-only");
    target(
      "Redis fan-out, one notification to 10,000 sessions: events stored vs the pub/sub hop alone (last stream)",
      "<= 2x",
      pair
        ? `${fmt(pair.a / pair.b)}x (${fmt(pair.a, 1)} vs ${fmt(pair.b, 1)} ms at ${pair.streams.toLocaleString("en-US")} streams)`
        : notRun,
      pair ? pair.a <= 2 * pair.b : undefined,
    );
  }
  {
    const l = measuredLane("ours-stateful-redis");
    target(
      "Stateful on Redis: req/s vs floor",
      ">= 0.50",
      l
        ? `${fmt(l.rpsRatio)} (CPU ratio ${fmt(l.cpuRatio)})`
        : (results.skipped.find((s) => s.id === "ours-stateful-redis")?.reason ?? notRun),
      l ? l.rpsRatio >= 0.5 : undefined,
    );
  }
  {
    const ours = startMs("ours-plain");
    const floor = startMs("floor");
    target(
      "Import + first answer: `ours-plain` median - bare hono floor median",
      "<= 1 ms",
      ours !== undefined && floor !== undefined
        ? `${fmt(ours - floor, 1)} ms (${fmt(ours, 1)} vs ${fmt(floor, 1)} ms)`
        : notRun,
      ours !== undefined && floor !== undefined ? ours - floor <= 1 : undefined,
    );
  }
  {
    // The 2026-07-28 lane: its HTTP row, and what it adds to the stateless bundle and its start-up.
    const l = lane["ours-modern-2026"];
    const e = edge["ours-plain-2026"];
    const parts = [];
    if (l) parts.push(l.rpsRatio !== undefined ? `HTTP \`ours-modern-2026\` ${ratios(l)}` : "HTTP row failed");
    if (e) {
      const base = size("ours-plain");
      const ms = startMs("ours-plain-2026");
      parts.push(
        size("ours-plain-2026") === undefined
          ? `\`ours-plain-2026\`: ${why("ours-plain-2026")}`
          : `\`ours-plain-2026\` ${kbText(size("ours-plain-2026"))}${base ? ` (+${kbText(size("ours-plain-2026") - base)})` : ""}, ${ms === undefined ? "first answer wrong" : `${fmt(ms, 1)} ms${startMs("ours-plain") !== undefined ? ` (${ms >= startMs("ours-plain") ? "+" : ""}${fmt(ms - startMs("ours-plain"), 1)} ms)` : ""}`} over \`ours-plain\``,
      );
    }
    target(
      "New lanes have rows: the 2026-07-28 lane (HTTP, and bundle + start-up)",
      "rows measured",
      parts.length ? parts.join("; ") : notRun,
      parts.length ? (!l || l.rpsRatio !== undefined) && (!e || startMs("ours-plain-2026") !== undefined) : undefined,
    );
  }
  target(
    "New lanes have rows: Durable Objects sessions (bundle size; needs its binding to answer)",
    "row measured",
    size("ours-durable-objects") !== undefined ? kbText(size("ours-durable-objects")) : why("ours-durable-objects"),
    edge["ours-durable-objects"] ? size("ours-durable-objects") !== undefined : undefined,
  );
  {
    const l = lane["ours-stateful-deno-kv"];
    target(
      "New lanes have rows: Deno KV sessions (stateful, `@deno/kv` on Node)",
      "row measured",
      l
        ? l.rpsRatio !== undefined
          ? `${ratios(l)}, ${fmt(l.cpuPerRequestMicros, 1)} us CPU per request`
          : "failed"
        : notRun,
      l ? l.rpsRatio !== undefined : undefined,
    );
  }
  {
    // Against the previous RESULTS.md: an HTTP ratio that fell by more than 0.1 is a regression.
    const previous = results.previous;
    const moved = [];
    for (const l of http ?? []) {
      const before = previous?.lanes[l.label];
      if (!before || l.id === "floor") continue;
      for (const [key, name] of [
        ["rpsRatio", "req/s"],
        ["cpuRatio", "CPU"],
      ]) {
        if (Number.isFinite(before[key]) && l[key] !== undefined)
          moved.push({ id: l.id, name, before: before[key], now: l[key], change: l[key] - before[key] });
      }
    }
    const worst = moved.sort((a, b) => a.change - b.change)[0];
    const regressed = moved.filter((m) => m.change < -0.1);
    target(
      `No existing HTTP row regresses beyond 0.1 (ratios vs the previous RESULTS.md${previous ? `, ${previous.date ?? "undated"} at ${previous.commit ?? "unknown commit"}` : ""})`,
      ">= previous - 0.1",
      worst
        ? `${regressed.length ? `${regressed.length} regressed: ${regressed.map((m) => `${m.id} ${m.name} ${fmt(m.before)} -> ${fmt(m.now)}`).join(", ")}` : `worst: ${worst.id} ${worst.name} ${fmt(worst.before)} -> ${fmt(worst.now)}`} (${moved.length} ratios compared)`
        : previous
          ? "no row in common with the previous run"
          : "no previous RESULTS.md to compare with",
      worst ? regressed.length === 0 : undefined,
    );
  }

  // Throughput against the official SDK v2 handler (not a target: a comparison the HTTP section states).
  let sdkV2;
  if (lane["ours-stateless-json"]) {
    sdkV2 = ["sdk-v2-legacy", "sdk-v2-modern"]
      .filter((id) => lane[id])
      .map((id) => ({ id, ratio: floorNormalisedRpsRatio(http, "ours-stateless-json", id) }))
      .filter((x) => x.ratio !== undefined);
  }

  for (const t of targets) headlines.push(`${t.verdict.padEnd(12)} ${t.name}: ${t.measured} (target ${t.goal})`);
  return { http, targets, sdkV2, failures, checked, headlines };
}

// ---------------------------------------------------------------------------------------------
// Markdown.

const kb = (bytes) => (bytes / 1024).toFixed(1);

export function renderMarkdown(results) {
  const { machine, config, summary } = results;
  const out = [];
  const line = (s = "") => out.push(s);
  line("# Benchmark results");
  line();
  line(
    `Generated by \`node bench/run.mjs\` (\`pnpm --filter @mcp-edge/bench bench\`) on ${machine.date.slice(0, 10)}. Do not edit by hand: rerun the command.`,
  );
  line();
  line("![req/s and server CPU per request relative to the bare hono floor](results.svg)");
  line();
  line("## Targets");
  line();
  line(
    `Measured at commit \`${machine.commit}\`${machine.dirty ? " with uncommitted changes in packages/core or packages/node" : ""} on ${machine.date.slice(0, 10)}, every ratio against the bare hono floor measured in the same run.`,
  );
  line();
  line("| target | goal | measured | verdict |");
  line("|---|---|---|---|");
  for (const t of summary.targets) line(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.verdict} |`);
  line();
  line("## Machine and versions");
  line();
  line(`- ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}`);
  line(
    `- load average at start ${machine.loadAverageStart.map((x) => x.toFixed(2)).join(" / ")}, at end ${(machine.loadAverageEnd ?? []).map((x) => x.toFixed(2)).join(" / ")} (1/5/15 min)`,
  );
  line(
    `- mcp-edge at commit ${machine.commit}${machine.dirty ? " with uncommitted changes in packages/core or packages/node" : ""}; measured builds: ${(machine.builds ?? []).map((b) => `${b.name} dist built ${b.builtAt.slice(0, 16).replace("T", " ")} UTC${b.sourceNewerThanBuild ? " (sources edited after that build)" : ""}`).join(", ")}`,
  );
  line(
    `- ${Object.entries(machine.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  line(
    `- core pinning: ${machine.pinning === "taskset" ? "`taskset -c 0` for servers, `taskset -c 1` for the load generator" : "none (taskset not found): numbers are less steady"}`,
  );
  line();
  line("**Caveat.** This machine is shared: other engineers ran builds and tests during the run (the 1-minute load");
  line("average at each measurement is in the per-round table; above 2 the 2 cores were oversubscribed), and");
  line("absolute req/s moved a lot between measurements. Quote the ratios to the floor measured next to each lane and");
  line('the server CPU time per request, which are steadier. "Server busy" under ~90% means the server was not');
  line("saturated: it was preempted by other work on its core, or the single-core load generator was the limit.");
  line();

  if (summary.http) {
    line("## tools/call over HTTP");
    line();
    line(
      `Each lane serves an \`echo\` tool on 127.0.0.1 in its own process on core 0; autocannon loads it from another process on core 1 with ${config.connections} connections (every request with a JSON-RPC id of its own, as a client's would be: one session never sees two requests in flight with one id), ${config.warmupSec} s warm-up then ${config.durationSec} s measured, ${config.rounds} round(s) round-robin (a fresh server per lane per round, lane order rotated each round). Every lane first proves a correct answer (a random text, then the exact timed request). Server CPU per request = utime + stime from \`/proc/<pid>/stat\` over the measured window / requests answered. The floor is measured at the start of each round, after every ${config.floorEvery} lanes and at the end; each lane's ratios are to the mean of the floor runs just before and just after it, medians over rounds. CPU ratio = floor CPU per request / lane CPU per request (1.00 = as cheap as the floor, 0.95 = 1.05x its CPU).`,
    );
    line();
    line(
      "| lane | answer | req/s (median) | req/s ratio | CPU / req (us) | CPU ratio | server busy | p99 latency (ms) | rounds ok |",
    );
    line("|---|---|---|---|---|---|---|---|---|");
    for (const l of summary.http) {
      line(
        `| ${l.label} | ${l.framing ?? "-"} | ${l.rps === undefined ? "n/a" : Math.round(l.rps).toLocaleString("en-US")} | ${fmt(l.rpsRatio)} | ${fmt(l.cpuPerRequestMicros, 1)} | ${fmt(l.cpuRatio)} | ${l.serverBusy === undefined ? "n/a" : `${Math.round(l.serverBusy * 100)}%`} | ${fmt(l.latencyP99, 0)} | ${l.roundsOk}/${l.rounds} |`,
      );
    }
    if (summary.sdkV2?.length) {
      line();
      line(
        `Stateless JSON throughput against the official SDK v2 handler, each as a ratio to its own floor: ${summary.sdkV2.map((x) => `${fmt(x.ratio, 1)}x \`${x.id}\``).join(", ")}.`,
      );
    }
    if (summary.http.some((l) => l.id === "ours-stateful-deno-kv")) {
      line();
      line(
        "The Deno KV lane runs `@mcp-edge/deno-kv` (session store, event store, stream manager) on Node through `@deno/kv`'s `openKv` on a fresh SQLite database file, the backend a self-hosted `deno serve` uses; Deno Deploy's hosted KV cannot run here. A session load is a read plus a commit on KV (no read that also extends an expiry): two store round trips per request, each commit a SQLite write.",
      );
    }
    const problems = summary.http.filter((l) => l.problems.length);
    if (problems.length) {
      line();
      line("Lanes that answered wrongly or failed (not timed in those rounds):");
      line();
      for (const l of problems) line(`- ${l.id}: ${l.problems.join("; ")}`);
    }
    line();
    line("<details><summary>Every measurement: req/s / CPU per request / 1-min load average</summary>");
    line();
    const cell = (r) =>
      r.status === "ok"
        ? `${Math.round(r.rps)} / ${r.cpuPerRequestMicros?.toFixed(1)} us / ${r.load1?.toFixed(1)}`
        : `${r.status} (load ${r.load1?.toFixed(1)})`;
    line(`| lane | ${summary.http[0].perRound.map((_, i) => `round ${i + 1}`).join(" | ")} |`);
    line(`|---|${summary.http[0].perRound.map(() => "---").join("|")}|`);
    for (const l of summary.http)
      line(`| ${l.id} | ${l.perRound.map((runs) => runs.map(cell).join("<br>") || "-").join(" | ")} |`);
    line();
    line("</details>");
    line();
    const onRedis = summary.http.filter((l) => l.needs === "redis");
    if (onRedis.length) {
      line("### Stateful on Redis");
      line();
      line(
        "The Redis lanes configure `@mcp-edge/redis` as a distributed deployment does: `RedisSessionStore`, `RedisStreamManager` (its own pub/sub connection) and `RedisEventStore` on node-redis with no offline queue; same `echo` tool, `stateless: false`, JSON answers, one session kept (initialize first, then every timed request carries its `Mcp-Session-Id`). The pair lane runs two instances behind the workspace's round-robin proxy (`test-support`), so consecutive requests of the session alternate between them (its proof, initialize then three requests, already crosses instances).",
      );
      line();
      line(
        machine.pinning === "taskset"
          ? "**What shares which core.** Core 0: the lane's server process (for the pair lane, both instances). Core 1: the load generator, the pair lane's proxy (it moves itself there: like a load balancer it is infrastructure in front of the servers under test), and a redis-server this run started itself (as if Redis were elsewhere: it takes no CPU from the servers under test)."
          : "**Cores:** taskset was not found, nothing is pinned: every process shares both cores.",
      );
      line();
      line(
        "**CPU per request** of the pair lane is its two instances' utime + stime summed (children of the proxy process, found through `/proc`); the proxy's own is a column of its own, and so is redis-server's (from `/proc/<pid>/stat`, only for a redis-server this run started). Neither is in the lane's CPU per request or CPU ratio; the req/s ratio is to the floor as for every lane. Redis commands and reads per request: `INFO commandstats` / `total_reads_processed` deltas over the measured window divided by the requests answered. A read is one batch of commands from one client, i.e. a round trip as Redis sees it: below 1 per request when the client batched the commands of concurrent requests into one write.",
      );
      line();
      line(
        "| lane | req/s ratio | CPU / req (us) | CPU ratio | proxy CPU / req (us) | Redis commands / req | Redis reads / req | redis-server CPU / req (us) | redis-server busy |",
      );
      line("|---|---|---|---|---|---|---|---|---|");
      for (const l of onRedis) {
        line(
          `| ${l.label} | ${fmt(l.rpsRatio)} | ${fmt(l.cpuPerRequestMicros, 1)} | ${fmt(l.cpuRatio)} | ${l.front ? fmt(l.frontCpuPerRequestMicros, 1) : "-"} | ${fmt(l.redisCommandsPerRequest)} | ${fmt(l.redisReadsPerRequest)} | ${fmt(l.redisCpuPerRequestMicros, 1)} | ${l.redisBusy === undefined ? "n/a" : `${Math.round(l.redisBusy * 100)}%`} |`,
        );
      }
      line();
    }
  }

  if (results.edge) {
    line("## Workers bundle size and start-up");
    line();
    line(
      `Each library's minimal Workers entry (\`bench/edge/\`) bundled by esbuild (ESM, minified, \`platform: browser\` with the \`workerd\`/\`worker\` conditions, everything inlined, \`node:*\` left external). Start-up: median over ${config.startups} fresh \`node\` processes (core 0) of the time from \`import()\` of the bundle to the first correct tools/call answer from its Fetch handler, in-process.`,
    );
    line();
    line("| entry | minified | gzip | import + first answer (median) | range |");
    line("|---|---|---|---|---|");
    for (const e of results.edge) {
      if (e.skipped) line(`| ${e.label} | skipped: ${e.skipped} | | | |`);
      else if (!e.ok) line(`| ${e.label} | does not bundle | | | |`);
      else {
        const ms = median(e.startupMs ?? []);
        const range = e.startupMs?.length
          ? `${Math.min(...e.startupMs).toFixed(1)}-${Math.max(...e.startupMs).toFixed(1)} ms`
          : "n/a";
        line(
          `| ${e.label} | ${kb(e.bytes)} KB | **${kb(e.gzipBytes)} KB** | ${e.sizeOnly ? `size only: ${e.sizeOnly}` : e.startupOk ? `${fmt(ms, 1)} ms` : `WRONG: ${e.startupProblem}`} | ${range} |`,
        );
      }
    }
    const failed = results.edge.filter((e) => !e.skipped && !e.ok);
    if (failed.length) {
      line();
      for (const e of failed) line(`- ${e.label} does not bundle for Workers: ${e.error}`);
    }
    const ours = results.edge.find((e) => e.id === "ours-plain" && e.ok);
    if (ours?.topInputs) {
      line();
      line(
        `What the ${kb(ours.gzipBytes)} KB of \`ours-plain\` is made of (minified bytes per source file, largest first):`,
      );
      line();
      line("| file | bytes |");
      line("|---|---|");
      for (const [file, bytes] of ours.topInputs) line(`| ${file} | ${bytes.toLocaleString("en-US")} |`);
    }
    line();
  }

  if (results.memory) {
    line("## Heap per idle session");
    line();
    line(
      `${config.sessions.toLocaleString("en-US")} sessions opened in-process through each library's Fetch handler (initialize + notifications/initialized, stateful, JSON), nothing kept on the client side; \`heapUsed\` after forced GC (\`--expose-gc\`), growth divided by the session count. A sample of the sessions is proven still alive afterwards.`,
    );
    line();
    line("| implementation | heap per idle session | sampled sessions alive |");
    line("|---|---|---|");
    const names = {
      ours: "mcp-edge, in-memory store",
      "sdk-v1": "SDK v1 1.32 (transport + server per session)",
      "mcp-use": "mcp-use 1.34 (getHandler, stateful)",
    };
    for (const m of results.memory) {
      if (m.skipped) line(`| ${names[m.impl]} | skipped: ${m.skipped} | |`);
      else if (m.failed) line(`| ${names[m.impl]} | FAILED: ${m.failed.slice(0, 200)} | |`);
      else
        line(
          `| ${names[m.impl]} | ${m.bytesPerSession >= 10240 ? `${kb(m.bytesPerSession)} KB` : `${Math.round(m.bytesPerSession)} B`} | ${m.sampleAlive}/${m.sampleSize} |`,
        );
    }
    line();
  }

  if (results.store?.rows) {
    const store = results.store;
    line("## Store cost: Redis round trips per request (@mcp-edge/redis)");
    line();
    line(
      `One server configured as deployed (${store.stores}, ${store.client}), driven in-process through \`server.fetch\` against the real redis-server, one request at a time (the last row: ${store.hotPath.underLoad.inFlight} in flight). Counted three ways: **store operations** are calls on the stores' \`RedisConnection\`, counted by a wrapper around the real connection (each is one request/reply exchange by contract: \`appendCapped\` sends MULTI/XADD/PEXPIRE/EXEC together, \`rangeAfter\` pipelines XRANGE + EXISTS); **wire writes** are what the clients actually sent, counted by a TCP relay between each node-redis connection and redis-server (one write is one batch the client then waits on: one round trip; a MULTI/EXEC or a pipeline is one write), for the command connection + the pub/sub connection (SUBSCRIBE/UNSUBSCRIBE); **commands** are what redis-server executed (\`INFO commandstats\` deltas, MULTI and EXEC included). Work a request leaves behind (an UNSUBSCRIBE once a stream closes) is counted with it.`,
    );
    line();
    line("| request | store operations | round trips on the wire (command + pub/sub) | Redis commands | what |");
    line("|---|---|---|---|---|");
    const list = (by) =>
      Object.entries(by)
        .map(([name, count]) => (count === 1 ? name : `${name} x${count}`))
        .join(", ");
    for (const row of store.rows) {
      line(
        `| ${row.kind} | **${row.operations}** | ${row.wireWrites} (${row.wireCommand} + ${row.wirePubSub}) | ${row.commands} | ${list(row.byOperation)}; commands: ${list(row.byCommand)} |`,
      );
    }
    line();
    line(
      `Hot path (tools/call, ping): **${store.hotPath.operations}** store operation and **${store.hotPath.wireWrites}** round trip per request (\`GETEX\`, which loads the session and slides its idle timeout); with ${store.hotPath.underLoad.inFlight} requests in flight node-redis batches the GETEXes of concurrent requests, ${store.hotPath.underLoad.wireWrites} writes per request. Target: at most one store round trip per ordinary request: **${store.hotPath.operations <= 1 && store.hotPath.wireWrites <= 1 ? "met" : "MISSED"}**.`,
    );
    line();
  }

  if (results.fanout) {
    line("## Fan-out: one notification to many open GET streams");
    line();
    line(
      "N sessions, each subscribed to one resource (`resources/subscribe`) with an open standalone GET stream, then one `notifyResourceUpdated(uri)`. Time from the call until every stream's reader has received `notifications/resources/updated`, in-process through `server.fetch` (client-side stream reading included). *memory*: one instance, in-memory stream manager and event store. Through Redis, the streams are held by one instance and the notification is raised on another (two servers in one process, each with its own Redis connections), so it travels through Redis pub/sub: one PUBLISH, one message to the holder, which writes every subscribed stream. *redis*: every store in Redis as deployed, so the holder also appends each delivered event to `RedisEventStore` (one MULTI/EXEC per stream, all issued at once) before writing it; *redis-pubsub-only*: session store and stream manager in Redis, events in memory (the pub/sub hop alone). The process runs on core 0; redis-server (when this run started it) on core 1.",
    );
    line();
    line(
      "*listen* rows: the same with 2026-07-28 `subscriptions/listen` streams (`resourceSubscriptions: [uri]`, no session, a stateless server fed by its stream manager): N listen POSTs, each read up to its acknowledgement before the clock starts.",
    );
    line();
    line(
      "| streams | stream | store | publish call returned | median stream | last stream | set-up (sessions + streams) |",
    );
    line("|---|---|---|---|---|---|---|");
    for (const f of results.fanout) {
      const kind = f.kind === "listen" ? "listen" : "GET";
      if (f.failed) line(`| ${f.streams} | ${kind} | ${f.store} | FAILED: ${f.failed.slice(0, 200)} | | | |`);
      else
        line(
          `| ${f.streams.toLocaleString("en-US")} | ${kind} | ${f.store} | ${f.publishedMs.toFixed(1)} ms | ${f.p50Ms.toFixed(1)} ms | **${f.lastMs.toFixed(1)} ms** | ${(f.setupMs / 1000).toFixed(1)} s |`,
        );
    }
    line();
  }

  if (results.profiles?.length) {
    line("## CPU profiles of our lanes (where the time goes)");
    line();
    line(
      `\`node --cpu-prof\` on the server process under the same load (${results.profileSeconds} s), self time by function (top 12) and by package/file. Profile files: \`bench/.out/profiles/\` (open in Chrome DevTools > Performance, or speedscope).`,
    );
    for (const p of results.profiles) {
      line();
      line(`### ${p.label}`);
      line();
      if (p.failed) {
        line(`profile failed: ${p.failed}`);
        continue;
      }
      line(
        `Server CPU per request while profiled: ${fmt(p.cpuPerRequestMicros, 1)} us (profiling adds overhead). Raw profile: \`${p.file}\`.`,
      );
      line();
      line("| self % | function | where |");
      line("|---|---|---|");
      for (const f of p.topFunctions) line(`| ${f.percent.toFixed(1)} | \`${f.name}\` | ${f.where} |`);
      line();
      line("Our functions by inclusive time (self + callees, % of busy time):");
      line();
      line("| incl. % | function | where |");
      line("|---|---|---|");
      for (const f of p.ourInclusive) line(`| ${f.percent.toFixed(1)} | \`${f.name}\` | ${f.where} |`);
      line();
      line(`Self time by module: ${p.topModules.map((m) => `${m.module} ${m.percent.toFixed(1)}%`).join(", ")}`);
    }
    line();
  }

  line("## Not measured in this run");
  line();
  if (results.skipped.length === 0) line("Nothing was skipped.");
  for (const s of results.skipped) line(`- **${s.label}** (${s.id}): ${s.reason}`);
  line();
  const other = results.notes.filter((n) => !n.includes("SKIPPED"));
  if (other.length) {
    line("## Notes on this run");
    line();
    for (const n of other) line(`- ${n}`);
    line();
  }
  line("## Reproduce");
  line();
  line("```sh");
  line(
    "pnpm install && pnpm --filter @mcp-edge/core --filter @mcp-edge/node --filter @mcp-edge/redis --filter @mcp-edge/redis-kit --filter @mcp-edge/deno-kv build",
  );
  line("pnpm --filter @mcp-edge/bench bench            # or: node bench/run.mjs [--rounds 5 --duration 5]");
  line("node bench/run.mjs --quick                     # smoke: every lane answers correctly, no timings");
  line("# Redis parts: REDIS_URL=redis://... to use a given Redis; unset, the run starts a private redis-server");
  line("```");
  line();
  return `${out.join("\n")}`;
}

// ---------------------------------------------------------------------------------------------
// SVG (hand-written, no charting dependency).

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const COLORS = { floor: "#7f8c8d", ours: "#1f77b4", peer: "#e67e22" };

export function renderSvg(results) {
  const lanes = (results.summary.http ?? []).filter((l) => l.rpsRatio !== undefined || l.id === "floor");
  const edge = (results.edge ?? []).filter((e) => e.ok);
  const W = 960;
  const labelW = 250;
  const plotW = W - labelW - 150;
  const rowH = 30;
  const top = 76;
  const httpH = lanes.length * rowH;
  const edgeTop = top + httpH + 90;
  const edgeRowH = 22;
  const H = edgeTop + edge.length * edgeRowH + 40;
  const maxRatio = Math.max(1.2, ...lanes.map((l) => Math.max(l.rpsRatio ?? 0, l.cpuRatio ?? 0)));
  const x = (v) => labelW + (Math.min(v, maxRatio) / maxRatio) * plotW;
  const s = [];
  s.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
  );
  s.push(
    "<title>mcp-edge benchmark: tools/call req/s and CPU ratios to a bare hono endpoint; Workers bundle sizes</title>",
  );
  s.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  s.push(
    `<text x="16" y="24" font-size="16" font-weight="600">tools/call over HTTP, relative to a bare hono endpoint measured alongside (median of ${results.config.rounds} rounds)</text>`,
  );
  s.push(
    `<text x="16" y="42" fill="#555">dark bar: req/s ratio; light bar: CPU ratio (floor CPU per request / lane CPU per request). Higher is better; 1.00 = the floor.</text>`,
  );
  s.push(
    `<text x="16" y="57" fill="#555">${esc(results.machine.date.slice(0, 10))}, ${esc(results.machine.cpu)}, ${results.machine.cores} cores, Node ${esc(results.machine.node)}; server pinned to one core, load from the other (bench/RESULTS.md)</text>`,
  );
  for (const t of [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5].filter((t) => t <= maxRatio)) {
    s.push(
      `<line x1="${x(t).toFixed(1)}" y1="${top - 6}" x2="${x(t).toFixed(1)}" y2="${top + httpH}" stroke="${t === 1 ? "#333" : "#ddd"}" stroke-width="${t === 1 ? 1.5 : 1}"${t === 1 ? ' stroke-dasharray="4 3"' : ""}/>`,
    );
    s.push(
      `<text x="${x(t).toFixed(1)}" y="${top + httpH + 16}" text-anchor="middle" fill="#555">${t.toFixed(2)}</text>`,
    );
  }
  lanes.forEach((l, i) => {
    const y = top + i * rowH;
    const color = COLORS[l.group] ?? "#999";
    s.push(`<text x="${labelW - 8}" y="${y + 18}" text-anchor="end">${esc(l.short ?? l.label)}</text>`);
    const rps = l.id === "floor" ? 1 : l.rpsRatio;
    const cpu = l.id === "floor" ? 1 : l.cpuRatio;
    if (rps !== undefined) {
      s.push(
        `<rect x="${labelW}" y="${y + 4}" width="${Math.max(1, x(rps) - labelW).toFixed(1)}" height="11" fill="${color}"/>`,
      );
      s.push(`<text x="${(x(rps) + 4).toFixed(1)}" y="${y + 13}" fill="#222" font-size="10">${rps.toFixed(2)}</text>`);
    }
    if (cpu !== undefined) {
      s.push(
        `<rect x="${labelW}" y="${y + 16}" width="${Math.max(1, x(cpu) - labelW).toFixed(1)}" height="9" fill="${color}" fill-opacity="0.45"/>`,
      );
      s.push(`<text x="${(x(cpu) + 4).toFixed(1)}" y="${y + 25}" fill="#555" font-size="10">${cpu.toFixed(2)}</text>`);
    }
    if (l.target) {
      const tx = x(l.target.ratio);
      s.push(
        `<line x1="${tx.toFixed(1)}" y1="${y + 2}" x2="${tx.toFixed(1)}" y2="${y + 27}" stroke="#c0392b" stroke-width="2"/>`,
      );
    }
  });
  s.push(`<text x="${labelW}" y="${top + httpH + 34}" fill="#c0392b">red tick: the target for that lane</text>`);
  s.push(
    `<rect x="${labelW + 220}" y="${top + httpH + 25}" width="12" height="10" fill="${COLORS.ours}"/><text x="${labelW + 236}" y="${top + httpH + 34}">mcp-edge</text>`,
  );
  s.push(
    `<rect x="${labelW + 310}" y="${top + httpH + 25}" width="12" height="10" fill="${COLORS.peer}"/><text x="${labelW + 326}" y="${top + httpH + 34}">peers</text>`,
  );
  s.push(
    `<rect x="${labelW + 380}" y="${top + httpH + 25}" width="12" height="10" fill="${COLORS.floor}"/><text x="${labelW + 396}" y="${top + httpH + 34}">floor</text>`,
  );

  if (edge.length) {
    const maxKb = Math.max(...edge.map((e) => e.gzipBytes / 1024));
    const ex = (v) => labelW + (v / maxKb) * plotW;
    s.push(
      `<text x="16" y="${edgeTop - 20}" font-size="16" font-weight="600">Workers entry bundle, minified + gzip (KB); import + first answer (ms, median)</text>`,
    );
    edge.forEach((e, i) => {
      const y = edgeTop + i * edgeRowH;
      const color = e.id === "floor" ? COLORS.floor : e.id.startsWith("ours") ? COLORS.ours : COLORS.peer;
      const ms = median(e.startupMs ?? []);
      s.push(`<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${esc(e.short ?? e.label)}</text>`);
      s.push(
        `<rect x="${labelW}" y="${y + 3}" width="${Math.max(1, ex(e.gzipBytes / 1024) - labelW).toFixed(1)}" height="14" fill="${color}"/>`,
      );
      s.push(
        `<text x="${(ex(e.gzipBytes / 1024) + 4).toFixed(1)}" y="${y + 14}" font-size="10">${(e.gzipBytes / 1024).toFixed(1)} KB${ms === undefined ? "" : `, ${ms.toFixed(1)} ms`}</text>`,
      );
    });
    s.push(
      `<line x1="${ex(12).toFixed(1)}" y1="${edgeTop - 4}" x2="${ex(12).toFixed(1)}" y2="${edgeTop + edge.length * edgeRowH}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/>`,
    );
    s.push(
      `<text x="${(ex(12) + 4).toFixed(1)}" y="${edgeTop + edge.length * edgeRowH + 14}" fill="#c0392b">12 KB target</text>`,
    );
  }
  s.push("</svg>");
  return `${s.join("\n")}\n`;
}
