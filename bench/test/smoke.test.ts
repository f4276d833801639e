// CI smoke of the benchmark harness (issue 5): `node bench/run.mjs --quick` starts every lane, proves
// its tools/call answer, puts a tiny load through it, bundles every Workers entry and answers from it,
// and opens a few sessions and streams. No timing is asserted: this machine kind is shared and noisy.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface LaneRun {
  id: string;
  status: "ok" | "wrong" | "failed";
  reason?: string;
  requests?: number;
}
interface Results {
  /** One array of runs per round; the floor runs several times in a round. */
  http: { lanes: { id: string }[]; rounds: LaneRun[][] };
  edge: { id: string; ok?: boolean; skipped?: string; error?: string; startupOk?: boolean; startupProblem?: string }[];
  memory: { impl: string; skipped?: string; failed?: string; sampleAlive?: number; sampleSize?: number }[];
  fanout: { streams: number; failed?: string; delivered?: number }[];
  skipped: { kind: string; id: string; reason: string }[];
  summary: { failures: string[] };
}

const runScript = fileURLToPath(new URL("../run.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mcp-edge-bench-"));
const jsonFile = join(dir, "quick.json");
let results: Results;
let log = "";

beforeAll(async () => {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [runScript, "--quick", "--json", jsonFile], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d) => {
      log += d;
    });
    child.stderr.on("data", (d) => {
      log += d;
    });
    child.on("error", reject);
    child.on("close", resolve);
  });
  results = JSON.parse(readFileSync(jsonFile, "utf8")) as Results;
  // Skipped lanes and slots are printed, never passed silently.
  for (const s of results.skipped) console.log(`bench smoke: ${s.kind} ${s.id} skipped: ${s.reason}`);
  if (code !== 0 && results.summary.failures.length === 0)
    throw new Error(`run.mjs exited ${code}:\n${log.slice(-3000)}`);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("benchmark harness, quick mode", () => {
  it("serves every HTTP lane and each answers tools/call correctly, also under load", () => {
    const rounds = results.http.rounds;
    expect(rounds.length).toBe(1);
    const round = rounds[0] ?? [];
    expect(results.http.lanes.map((l) => l.id)).toEqual(
      expect.arrayContaining([
        "floor",
        "ours-stateless-json",
        "ours-stateless-sse",
        "ours-stateful-memory",
        "mcp-lite-json",
        "mcp-lite-sse",
        "sdk-v1-stateless",
        "sdk-v1-stateful",
        "sdk-v2-legacy",
        "sdk-v2-modern",
      ]),
    );
    // Every lane ran in the round, and every run answered correctly (also under the tiny load).
    expect(new Set(round.map((r) => r.id))).toEqual(new Set(results.http.lanes.map((l) => l.id)));
    const wrong = round.filter((r) => r.status !== "ok").map((r) => `${r.id}: ${r.status}: ${r.reason}`);
    expect(wrong).toEqual([]);
    for (const r of round) expect(r.requests).toBeGreaterThan(0);
  });

  it("skips only lanes that need something missing here (Redis slots, the mcp-use install), and says why", () => {
    const unexpected = results.skipped.filter(
      (s) => s.kind === "lane" && !s.id.includes("redis") && !s.id.startsWith("mcp-use"),
    );
    expect(unexpected).toEqual([]);
    for (const s of results.skipped) expect(s.reason.length).toBeGreaterThan(0);
  });

  it("bundles every Workers entry that bundles, and each bundle answers its first tools/call correctly", () => {
    const built = results.edge.filter((e) => e.ok);
    expect(built.map((e) => e.id)).toEqual(
      expect.arrayContaining(["floor", "ours-plain", "ours-zod", "mcp-lite", "sdk-v1", "sdk-v2"]),
    );
    expect(built.filter((e) => !e.startupOk).map((e) => `${e.id}: ${e.startupProblem}`)).toEqual([]);
  });

  it("opens sessions for the heap measurement and they stay alive", () => {
    const ran = results.memory.filter((m) => !m.skipped);
    expect(ran.map((m) => m.impl)).toEqual(expect.arrayContaining(["ours", "sdk-v1"]));
    for (const m of ran) {
      expect(m.failed).toBeUndefined();
      expect(m.sampleAlive).toBe(m.sampleSize);
    }
  });

  it("delivers one notification to every open GET stream", () => {
    expect(results.fanout.length).toBeGreaterThan(0);
    for (const f of results.fanout) {
      expect(f.failed).toBeUndefined();
      expect(f.delivered).toBe(f.streams);
    }
  });

  it("reports no failure overall", () => {
    expect(results.summary.failures).toEqual([]);
  });
});
