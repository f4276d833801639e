// CI smoke of the benchmark harness: `node bench/run.mjs --quick` starts every lane, proves
// its tools/call answer, puts a tiny load through it, bundles every Workers entry and answers from it,
// and opens a few sessions and streams. The Redis parts run too (REDIS_URL, or a private redis-server
// the run starts, installed from apt when missing): both Redis lanes, the round-trip count per request
// kind and fan-out through Redis pub/sub. No timing is asserted: this machine kind is shared and noisy.
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
  redis?: { commandsPerRequest: number; byCommand: Record<string, number> };
}
interface StoreRow {
  kind: string;
  operations: number;
  wireWrites: number;
  commands: number;
  inFlight: number;
}
interface Results {
  /** One array of runs per round; the floor runs several times in a round. */
  http: { lanes: { id: string }[]; rounds: LaneRun[][] };
  edge: {
    id: string;
    ok?: boolean;
    skipped?: string;
    error?: string;
    sizeOnly?: string;
    startupOk?: boolean;
    startupProblem?: string;
  }[];
  memory: { impl: string; skipped?: string; failed?: string; sampleAlive?: number; sampleSize?: number }[];
  fanout: { streams: number; store: string; kind?: string; failed?: string; delivered?: number }[];
  store: { rows?: StoreRow[]; failed?: string; skipped?: string; hotPath?: { operations: number; wireWrites: number } };
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
    // Always a private redis-server (the run starts it): Redis's own command counts are asserted, and a
    // shared Redis (a REDIS_URL of the environment) would add other clients' commands to them.
    const env = { ...process.env };
    delete env.REDIS_URL;
    const child = spawn(process.execPath, [runScript, "--quick", "--json", jsonFile], {
      stdio: ["ignore", "pipe", "pipe"],
      env,
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
        "ours-modern-2026",
        "ours-stateful-memory",
        "ours-stateful-redis",
        "ours-stateful-deno-kv",
        "ours-redis-pair",
        "ours-stateless-json-bare",
        "ours-stateless-zod-bare",
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

  it("skips only lanes that need something missing here (the mcp-use install), and says why", () => {
    const unexpected = results.skipped.filter((s) => s.kind === "lane" && !s.id.startsWith("mcp-use"));
    expect(unexpected).toEqual([]);
    for (const s of results.skipped) expect(s.reason.length).toBeGreaterThan(0);
  });

  it("bundles every Workers entry that bundles, and each bundle answers its first tools/call correctly", () => {
    const built = results.edge.filter((e) => e.ok);
    expect(built.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        "floor",
        "ours-plain",
        "ours-plain-2026",
        "ours-zod",
        "ours-zod-mini",
        "ours-valibot",
        "ours-arktype",
        "ours-durable-objects",
        "example-worker",
        "mcp-lite",
        "sdk-v1",
        "sdk-v2",
      ]),
    );
    expect(built.filter((e) => !e.startupOk && !e.sizeOnly).map((e) => `${e.id}: ${e.startupProblem}`)).toEqual([]);
  });

  it("opens sessions for the heap measurement and they stay alive", () => {
    const ran = results.memory.filter((m) => !m.skipped);
    expect(ran.map((m) => m.impl)).toEqual(expect.arrayContaining(["ours", "sdk-v1"]));
    for (const m of ran) {
      expect(m.failed).toBeUndefined();
      expect(m.sampleAlive).toBe(m.sampleSize);
    }
  });

  it("delivers one notification to every open GET and listen stream, in memory and through Redis pub/sub", () => {
    const runs = (kind: string) => new Set(results.fanout.filter((f) => f.kind === kind).map((f) => f.store));
    expect(runs("get")).toEqual(new Set(["memory", "redis", "redis-pubsub-only"]));
    expect(runs("listen")).toEqual(new Set(["memory", "redis-pubsub-only"]));
    for (const f of results.fanout) {
      expect(f.failed).toBeUndefined();
      expect(f.delivered).toBe(f.streams);
    }
  });

  it("serves one session across two instances on Redis, one Redis command per tools/call under load", () => {
    const round = results.http.rounds[0] ?? [];
    for (const id of ["ours-stateful-redis", "ours-redis-pair"]) {
      const run = round.find((r) => r.id === id);
      expect(run?.status).toBe("ok");
      // Counted from redis-server's own statistics over the loaded window: only the session load (GETEX),
      // one per request (a few more at most: requests still in flight when the window closes).
      expect(Object.keys(run?.redis?.byCommand ?? {})).toEqual(["getex"]);
      expect(run?.redis?.commandsPerRequest).toBeGreaterThanOrEqual(1);
      expect(run?.redis?.commandsPerRequest).toBeLessThan(1.1);
    }
  });

  it("counts Redis round trips for every request kind, and an ordinary request costs one", () => {
    expect(results.store.failed).toBeUndefined();
    const rows = results.store.rows ?? [];
    const kinds = rows.map((r) => r.kind).join("\n");
    for (const kind of ["initialize", "notifications/initialized", "tools/call", "ping", "resources/subscribe"])
      expect(kinds).toContain(kind);
    for (const kind of ["GET (opens", "GET with Last-Event-ID", "DELETE", "under load"]) expect(kinds).toContain(kind);
    // Every row was counted both at the store interface and on the wire.
    for (const row of rows) {
      expect(row.operations).toBeGreaterThan(0);
      expect(row.wireWrites).toBeGreaterThan(0);
      expect(row.commands).toBeGreaterThanOrEqual(row.operations);
    }
    // The target: at most one store round trip per ordinary request (tools/call, ping).
    expect(results.store.hotPath?.operations).toBeLessThanOrEqual(1);
    expect(results.store.hotPath?.wireWrites).toBeLessThanOrEqual(1);
  });

  it("reports no failure overall", () => {
    expect(results.summary.failures).toEqual([]);
  });
});
