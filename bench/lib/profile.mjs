// CPU profiles of a lane under load (`node --cpu-prof` on the server process), summarised as self
// time per function and per module, so a miss comes with a pointer to where the time goes.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { laneRound } from "./http-bench.mjs";

function whereOf(url, line) {
  if (!url) return "(native / V8)";
  const clean = url.replace(/^file:\/\//, "");
  const store = clean.lastIndexOf("node_modules/");
  const path =
    store >= 0 ? clean.slice(store + "node_modules/".length) : clean.replace(/^.*?\/(packages|bench)\//, "$1/");
  return `${path}:${line + 1}`;
}

function moduleOf(url) {
  if (!url) return "(native / V8 / GC)";
  if (url.startsWith("node:")) return "node internals";
  const clean = url.replace(/^file:\/\//, "");
  const store = clean.lastIndexOf("node_modules/");
  if (store >= 0) {
    const rest = clean.slice(store + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const ours = clean.match(/packages\/([^/]+)\/(?:dist|src)\/(.*)$/);
  if (ours) return `@mcp-edge/${ours[1]} ${ours[2].split("/").slice(0, -1).join("/") || "."}`;
  if (clean.includes("/bench/")) return "bench lane";
  return clean;
}

/** Self time per function and per module from a .cpuprofile. */
export function summarizeProfile(profile, top = Number(process.env.PROFILE_TOP ?? 12)) {
  const deltas = profile.timeDeltas;
  const selfById = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfById.set(id, (selfById.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...selfById.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map();
  const byModule = new Map();
  for (const node of profile.nodes) {
    const self = selfById.get(node.id) ?? 0;
    if (!self) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    const name = functionName || "(anonymous)";
    const key = `${name}@${url}:${lineNumber}`;
    const entry = byFunction.get(key) ?? { name, where: whereOf(url, lineNumber), self: 0 };
    entry.self += self;
    byFunction.set(key, entry);
    const mod = ["(garbage collector)", "(program)"].includes(name) ? name : moduleOf(url);
    byModule.set(mod, (byModule.get(mod) ?? 0) + self);
  }
  // Inclusive time of our own functions (a function counted once per stack, not again under itself).
  const nodesById = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map();
  const visit = (id, onStack) => {
    const node = nodesById.get(id);
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"}@${url}:${lineNumber}`;
    let sum = selfById.get(id) ?? 0;
    const ours = /\/packages\/(core|node)\//.test(url);
    const fresh = ours && !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const child of node.children ?? []) sum += visit(child, onStack);
    if (fresh) {
      onStack.delete(key);
      const entry = inclusive.get(key) ?? {
        name: functionName || "(anonymous)",
        where: whereOf(url, lineNumber),
        total: 0,
      };
      entry.total += sum;
      inclusive.set(key, entry);
    }
    return sum;
  };
  visit(profile.nodes[0].id, new Set());
  const idle = profile.nodes
    .filter((n) => n.callFrame.functionName === "(idle)")
    .reduce((a, n) => a + (selfById.get(n.id) ?? 0), 0);
  const busy = total - idle || 1;
  return {
    topFunctions: [...byFunction.values()]
      .sort((a, b) => b.self - a.self)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, percent: (100 * f.self) / busy })),
    ourInclusive: [...inclusive.values()]
      .sort((a, b) => b.total - a.total)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, percent: (100 * f.total) / busy })),
    topModules: [...byModule.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([module, self]) => ({ module, percent: (100 * self) / busy })),
  };
}

/** Profiles one lane under `seconds` of load; the raw profile stays in `dir`. */
export async function profileLane(lane, { dir, seconds, connections }) {
  const laneDir = `${dir}/${lane.id}`;
  rmSync(laneDir, { recursive: true, force: true });
  mkdirSync(laneDir, { recursive: true });
  const outcome = await laneRound(lane, {
    warmupSec: 1,
    durationSec: seconds,
    connections,
    nodeArgs: ["--cpu-prof", "--cpu-prof-dir", laneDir],
    stopGraceMs: 15_000,
  });
  if (outcome.status !== "ok") return { id: lane.id, label: lane.label, failed: outcome.reason };
  const file = readdirSync(laneDir).find((f) => f.endsWith(".cpuprofile"));
  if (!file)
    return { id: lane.id, label: lane.label, failed: "no .cpuprofile written (the server did not exit cleanly)" };
  const summary = summarizeProfile(JSON.parse(readFileSync(`${laneDir}/${file}`, "utf8")));
  return {
    id: lane.id,
    label: lane.label,
    file: `bench/.out/profiles/${lane.id}/${file}`,
    cpuPerRequestMicros: outcome.cpuPerRequestMicros,
    ...summary,
  };
}
