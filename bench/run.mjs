#!/usr/bin/env node
// mcp-edge benchmark harness. One command:
//   pnpm --filter @mcp-edge/bench bench        or        node bench/run.mjs
// regenerates bench/RESULTS.md and bench/results.svg from a real run on this machine.
//   --quick              smoke mode: every lane proves its answer, a tiny load, no timing claims,
//                        nothing written unless --json is given (CI runs this via bench/test/smoke.test.ts)
//   --rounds N           rounds over all lanes, round-robin (default 5)
//   --duration S         measured seconds per lane per round (default 5)
//   --warmup S           unmeasured seconds before each measurement (default 2)
//   --connections C      concurrent connections of the load generator (default 10)
//   --floor-every K      measure the floor again after every K lanes in a round (default 4)
//   --lanes a,b          only these HTTP lanes (the floor is always added)
//   --only http,edge,memory,fanout,store,profile   only these parts (default: all; quick skips profile)
//   --sessions N         sessions for the heap measurement (default 10000)
//   --startups N         fresh processes per bundle for start-up time (default 15)
//   --json FILE          also write the raw results as JSON
//   --no-write           do not write RESULTS.md / results.svg
//   --render FILE        measure nothing: re-render RESULTS.md and results.svg from a --json file of a run
// Redis parts (the two Redis lanes, fan-out via Redis, store cost): REDIS_URL when set, else a private
// redis-server this run starts (installed from apt when missing), pins to the load core, and stops.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundle, ENTRIES, STARTUP_DIALECT } from "./lib/edge.mjs";
import { LOAD_CORE, laneRound, SERVER_CORE } from "./lib/http-bench.mjs";
import { LANES } from "./lib/lanes.mjs";
import { pinning, runNodeJson } from "./lib/proc.mjs";
import { profileLane } from "./lib/profile.mjs";
import { pinProcess, resolveRedis } from "./lib/redis.mjs";
import { machineInfo, previousRun, renderMarkdown, renderSvg, summarize } from "./lib/report.mjs";

const bench = fileURLToPath(new URL(".", import.meta.url));
const repo = fileURLToPath(new URL("..", import.meta.url));

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    duration: { type: "string" },
    warmup: { type: "string" },
    connections: { type: "string" },
    lanes: { type: "string" },
    only: { type: "string" },
    sessions: { type: "string" },
    startups: { type: "string" },
    "floor-every": { type: "string" },
    json: { type: "string" },
    "no-write": { type: "boolean", default: false },
    render: { type: "string" },
  },
});

if (args.render) {
  const saved = JSON.parse(readFileSync(args.render, "utf8"));
  saved.summary = summarize(saved);
  writeFileSync(`${fileURLToPath(new URL(".", import.meta.url))}RESULTS.md`, renderMarkdown(saved));
  writeFileSync(`${fileURLToPath(new URL(".", import.meta.url))}results.svg`, renderSvg(saved));
  for (const line of saved.summary.headlines) process.stderr.write(`${line}\n`);
  process.exit(0);
}

const quick = args.quick;
const config = {
  quick,
  rounds: Number(args.rounds ?? (quick ? 1 : 5)),
  durationSec: Number(args.duration ?? 5),
  warmupSec: Number(args.warmup ?? (quick ? 0 : 2)),
  connections: Number(args.connections ?? (quick ? 2 : 10)),
  amount: quick ? 200 : undefined,
  sessions: Number(args.sessions ?? (quick ? 200 : 10_000)),
  fanout: quick ? [100] : [1_000, 10_000],
  // Fan-out through Redis: every store in Redis as deployed; and pub/sub alone (events kept in memory).
  fanoutRedis: ["redis", "redis-pubsub-only"],
  storeAverageOver: quick ? 100 : 2_000,
  startups: Number(args.startups ?? (quick ? 1 : 15)),
  floorEvery: Number(args["floor-every"] ?? (quick ? 1000 : 4)),
};
const parts = new Set((args.only ?? `http,edge,memory,fanout,store${quick ? "" : ",profile"}`).split(","));
const laneFilter = args.lanes ? new Set(["floor", ...args.lanes.split(",")]) : undefined;

const log = (line) => process.stderr.write(`${line}\n`);
const notes = [];
const note = (line) => {
  notes.push(line);
  log(`NOTE: ${line}`);
};

// ---------------------------------------------------------------------------------------------
// Prerequisites: our packages built, the mcp-use peer installed in its own root.

function ensureBuilt(pkg, dir) {
  if (existsSync(`${repo}packages/${dir}/dist/index.js`)) return;
  log(`building ${pkg} ...`);
  const built = spawnSync("pnpm", ["--filter", pkg, "build"], { cwd: repo, stdio: "inherit" });
  if (built.status !== 0) throw new Error(`${pkg} does not build`);
}

function ensureMcpUse() {
  const root = `${bench}peers/mcp-use`;
  if (existsSync(`${root}/node_modules/mcp-use/package.json`)) return { ok: true };
  log("installing mcp-use 1.34 into bench/peers/mcp-use (its own pnpm root) ...");
  const installed = spawnSync("pnpm", ["install", "--dir", root, "--prefer-frozen-lockfile"], {
    cwd: repo,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (installed.status === 0 && existsSync(`${root}/node_modules/mcp-use/package.json`)) return { ok: true };
  return { ok: false, reason: `pnpm install failed: ${(installed.stderr || installed.stdout || "").slice(-500)}` };
}

// One timed run at a time on this machine: two runs would pin their servers to the same core and
// both measure garbage. A timed run waits for another one to finish; quick mode (no timing) does not.
async function acquireRunLock() {
  const file = `${os.tmpdir()}/mcp-edge-bench.lock`;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      process.on("exit", () => {
        try {
          if (readFileSync(file, "utf8") === String(process.pid)) unlinkSync(file);
        } catch {}
      });
      for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    const holder = Number(readFileSync(file, "utf8"));
    let alive = false;
    try {
      process.kill(holder, 0);
      alive = true;
    } catch {}
    if (!alive) {
      unlinkSync(file);
      continue;
    }
    if (!announced) log(`another timed bench run (pid ${holder}) holds ${file}: waiting for it to finish ...`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

if (!quick) await acquireRunLock();
ensureBuilt("@mcp-edge/core", "core");
ensureBuilt("@mcp-edge/node", "node");
if (parts.has("http") && (!laneFilter || laneFilter.has("ours-stateful-deno-kv"))) {
  ensureBuilt("@mcp-edge/redis-kit", "redis-kit");
  ensureBuilt("@mcp-edge/deno-kv", "deno-kv");
}
const mcpUse = ensureMcpUse();
if (!mcpUse.ok) note(`mcp-use lanes skipped: ${mcpUse.reason}`);
// Redis for the Redis lanes, fan-out via Redis and the store cost: REDIS_URL, or a private
// redis-server started here (installed from apt when missing) and stopped when the run ends.
const redisLanes = LANES.filter((lane) => lane.needs === "redis" && (!laneFilter || laneFilter.has(lane.id)));
const needsRedis = parts.has("store") || parts.has("fanout") || (parts.has("http") && redisLanes.length > 0);
let redis = {};
if (needsRedis) {
  redis = await resolveRedis();
  if (redis.unavailable) note(`Redis parts SKIPPED: ${redis.unavailable}`);
  else {
    process.env.REDIS_URL = redis.url; // the Redis lanes and scripts read it
    ensureBuilt("@mcp-edge/redis", "redis");
    // A private redis-server runs beside the load generator, not on the server core: as if Redis
    // were elsewhere, it takes no CPU from the server under test (its own CPU is reported apart).
    const pinned = redis.pid && pinning === "taskset" && pinProcess(redis.pid, LOAD_CORE);
    note(
      `Redis: ${redis.source} at ${redis.url.replace(/\/\/[^@]*@/, "//")}${pinned ? `, pinned to core ${LOAD_CORE} (with the load generator)` : ", not pinned by this run: its CPU is not measured"}${redis.pid ? "" : "; Redis command counts assume no other client uses this Redis during the run"}`,
    );
  }
}
const redisNote = redis.unavailable;

/** Why a lane or entry cannot run here, or undefined when it can. */
function unavailable(item) {
  if (item.needs === "mcp-use" && !mcpUse.ok) return "mcp-use did not install";
  if (item.needs === "redis" && redisNote) return redisNote;
  if (item.pending) return item.pending;
  return undefined;
}

// The previous run's ratios, from the RESULTS.md it wrote, for the report's regression check.
const previousFile = `${bench}RESULTS.md`;
const results = {
  config,
  machine: machineInfo(bench, repo),
  previous: existsSync(previousFile) ? previousRun(readFileSync(previousFile, "utf8")) : undefined,
  notes,
  http: undefined,
  edge: undefined,
  memory: undefined,
  fanout: undefined,
  store: undefined,
  skipped: [],
};

// ---------------------------------------------------------------------------------------------
// HTTP lanes: round-robin over lanes, several rounds, ratios to the floor measured next to each lane.

if (parts.has("http")) {
  const lanes = [];
  for (const lane of LANES) {
    if (laneFilter && !laneFilter.has(lane.id)) continue;
    const why = unavailable(lane);
    if (why) {
      results.skipped.push({ kind: "lane", id: lane.id, label: lane.label, reason: why });
      note(`lane ${lane.id} SKIPPED: ${why}`);
    } else lanes.push(lane);
  }
  log(
    `HTTP lanes: ${lanes.length}, ${config.rounds} round(s), ${quick ? `${config.amount} requests` : `${config.warmupSec}s warm-up + ${config.durationSec}s`} each, ${config.connections} connections; server on core ${SERVER_CORE}, load on core ${LOAD_CORE} (pinning: ${pinning})`,
  );
  // Each round: the floor first, then the lanes in a rotated order with the floor measured again after
  // every `floorEvery` lanes and at the end, so each lane's ratio is to the floor measured just before
  // and just after it (this machine's background load drifts within a round).
  const others = lanes.filter((lane) => lane.id !== "floor");
  const floorLane = lanes.find((lane) => lane.id === "floor");
  const rounds = [];
  for (let r = 0; r < config.rounds; r++) {
    const order = others.map((_, i) => others[(i + r) % others.length]);
    const sequence = [];
    order.forEach((lane, i) => {
      if (floorLane && i % config.floorEvery === 0) sequence.push(floorLane);
      sequence.push(lane);
    });
    if (floorLane) sequence.push(floorLane);
    const runs = [];
    for (const lane of sequence) {
      const load1 = os.loadavg()[0];
      const outcome = await laneRound(lane, { ...config, redis: redis.url ? redis : undefined });
      runs.push({ id: lane.id, load1, ...outcome });
      const summary =
        outcome.status === "ok"
          ? quick
            ? `answered correctly (${outcome.framing}), ${outcome.requests} requests under load${outcome.redis ? `, ${outcome.redis.commandsPerRequest.toFixed(2)} Redis commands/req` : ""}`
            : `${Math.round(outcome.rps)} req/s, ${outcome.cpuPerRequestMicros?.toFixed(1)} us CPU/req${outcome.frontCpuPerRequestMicros !== undefined ? ` (+ ${lane.front} ${outcome.frontCpuPerRequestMicros.toFixed(1)} us)` : ""}, server busy ${Math.round((outcome.serverBusy ?? 0) * 100)}%${outcome.redis ? `, Redis ${outcome.redis.commandsPerRequest.toFixed(2)} commands and ${outcome.redis.cpuPerRequestMicros?.toFixed(1)} us CPU per req` : ""}, load average ${load1.toFixed(1)}`
          : `${outcome.status.toUpperCase()}: ${outcome.reason}`;
      log(`  round ${r + 1}/${config.rounds} ${lane.id}: ${summary}`);
    }
    rounds.push(runs);
  }
  results.http = {
    lanes: lanes.map(({ id, label, short, group, target, framing, cpu, front, needs }) => ({
      id,
      label,
      short,
      group,
      target,
      framing,
      cpu,
      front,
      needs,
    })),
    rounds,
  };
}

// ---------------------------------------------------------------------------------------------
// Edge size and start-up.

if (parts.has("edge")) {
  const out = `${bench}.out/edge`;
  const entries = [];
  for (const entry of ENTRIES) {
    const why = unavailable(entry);
    if (why) {
      entries.push({ id: entry.id, label: entry.label, skipped: why });
      note(`bundle ${entry.id} SKIPPED: ${why}`);
      continue;
    }
    const built = await bundle(entry, out);
    const row = { id: entry.id, label: entry.label, short: entry.short, target: entry.target, ...built };
    delete row.file;
    if (built.ok && entry.sizeOnly) row.sizeOnly = entry.sizeOnly;
    else if (built.ok) {
      const runs = [];
      for (let i = 0; i < config.startups; i++) {
        try {
          runs.push(await runNodeJson([`${bench}lib/startup.mjs`, built.file, STARTUP_DIALECT], { core: SERVER_CORE }));
        } catch (error) {
          runs.push({ ok: false, problem: error.message.slice(0, 500) });
        }
      }
      row.startupOk = runs.every((run) => run.ok);
      row.startupProblem = runs.find((run) => !run.ok)?.problem;
      row.startupMs = runs.filter((run) => run.ok).map((run) => run.ms);
    }
    entries.push(row);
    log(
      `  bundle ${entry.id}: ${built.ok ? `${(built.gzipBytes / 1024).toFixed(1)} KB gzip, ${entry.sizeOnly ? `size only (${entry.sizeOnly})` : `first answer ${row.startupOk ? "correct" : `WRONG: ${row.startupProblem}`}`}` : `does not bundle: ${built.error}`}`,
    );
  }
  results.edge = entries;
}

// ---------------------------------------------------------------------------------------------
// Memory: heap per idle session.

if (parts.has("memory")) {
  results.memory = [];
  for (const impl of ["ours", "sdk-v1", "mcp-use"]) {
    if (impl === "mcp-use" && !mcpUse.ok) {
      results.memory.push({ impl, skipped: "mcp-use did not install" });
      continue;
    }
    try {
      const row = await runNodeJson(["--expose-gc", `${bench}lib/memory.mjs`, impl, String(config.sessions)], {
        core: SERVER_CORE,
      });
      results.memory.push(row);
      log(
        `  heap ${impl}: ${quick ? "sessions opened and alive" : `${Math.round(row.bytesPerSession)} B per idle session`} (${row.sampleAlive}/${row.sampleSize} sampled sessions answer)`,
      );
    } catch (error) {
      results.memory.push({ impl, failed: error.message.slice(0, 1000) });
      log(`  heap ${impl}: FAILED ${error.message.slice(0, 300)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Fan-out: one notification to N open GET streams.

if (parts.has("fanout")) {
  results.fanout = [];
  // In memory; then through Redis: the streams held by one server instance, the notification raised
  // on another (each with its own Redis clients), so it travels through Redis pub/sub.
  const stores = ["memory", ...(redisNote ? [] : config.fanoutRedis)];
  if (redisNote) {
    results.skipped.push({ kind: "fanout", id: "fanout-redis", label: "fan-out via Redis", reason: redisNote });
  }
  // The same for 2026-07-28 `subscriptions/listen` streams (no session; a listen stream keeps no log, so
  // through Redis only the pub/sub hop applies).
  const runs = [
    ...stores.map((store) => ({ store, kind: "get" })),
    ...stores.filter((store) => store !== "redis").map((store) => ({ store, kind: "listen" })),
  ];
  for (const { store, kind } of runs) {
    for (const streams of config.fanout) {
      const what = `${streams} ${kind === "listen" ? "listen" : "GET"} streams (${store})`;
      try {
        const row = await runNodeJson([`${bench}lib/fanout.mjs`, String(streams), store, kind], {
          core: SERVER_CORE,
        });
        results.fanout.push({ ...row, store, kind });
        log(`  fan-out ${what}: ${quick ? "delivered to all" : `${row.lastMs.toFixed(1)} ms to the last stream`}`);
      } catch (error) {
        results.fanout.push({ store, kind, streams, failed: error.message.slice(0, 1000) });
        log(`  fan-out ${what}: FAILED ${error.message.slice(0, 300)}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Store cost: Redis round trips per request kind.

if (parts.has("store")) {
  if (redisNote) {
    results.store = { skipped: redisNote };
    results.skipped.push({
      kind: "store",
      id: "store-cost",
      label: "Redis round trips per request",
      reason: redisNote,
    });
  } else {
    try {
      results.store = await runNodeJson([`${bench}lib/store-cost.mjs`, String(config.storeAverageOver)], {
        core: SERVER_CORE,
      });
      for (const row of results.store.rows) {
        log(
          `  store cost ${row.kind}: ${row.operations} store operation(s), ${row.wireWrites} write(s) on the wire, ${row.commands} command(s)`,
        );
      }
    } catch (error) {
      results.store = { failed: error.message.slice(0, 1000) };
      log(`  store cost: FAILED ${error.message.slice(0, 300)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CPU profiles of our lanes, so a missed target comes with a pointer to where the time goes.

if (parts.has("profile")) {
  const ids = [
    "floor",
    "ours-stateless-json",
    "ours-stateless-json-bare",
    "ours-stateless-zod-bare",
    "ours-stateless-sse",
    "ours-stateful-memory",
  ];
  results.profileSeconds = config.durationSec;
  results.profiles = [];
  for (const id of ids) {
    const lane = LANES.find((l) => l.id === id);
    const profile = await profileLane(lane, {
      dir: `${bench}.out/profiles`,
      seconds: config.durationSec,
      connections: config.connections,
    });
    results.profiles.push(profile);
    log(`  profile ${id}: ${profile.failed ? `FAILED ${profile.failed}` : profile.file}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

results.machine.loadAverageEnd = os.loadavg();
// Other engineers rebuild the packages on this machine: say so when the measured build changed mid-run.
const end = machineInfo(bench, repo);
if (end.commit !== results.machine.commit)
  note(`HEAD moved during the run: ${results.machine.commit} -> ${end.commit}`);
// Compare build times only: a source edited during the run (not rebuilt) does not change what ran.
const builtAt = (info) => JSON.stringify(info.builds.map((b) => [b.name, b.builtAt]));
if (builtAt(end) !== builtAt(results.machine)) {
  note(
    `our packages were rebuilt during the run (${end.builds.map((b) => `${b.name} at ${b.builtAt}`).join(", ")}): measurements before that ran the previous build`,
  );
}
await redis.stop?.();
const summary = summarize(results);
results.summary = summary;
if (args.json) writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);

const failures = summary.failures;
if (quick) {
  log(
    `\nquick smoke: ${summary.checked} checks, ${failures.length} failed${failures.length ? `:\n  ${failures.join("\n  ")}` : ""}`,
  );
} else if (!args["no-write"]) {
  writeFileSync(`${bench}RESULTS.md`, renderMarkdown(results));
  writeFileSync(`${bench}results.svg`, renderSvg(results));
  log(`\nwrote bench/RESULTS.md and bench/results.svg`);
}
if (!quick) for (const line of summary.headlines) log(line);
process.exitCode = failures.length ? 1 : 0;
