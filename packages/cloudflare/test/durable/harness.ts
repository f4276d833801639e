// Runs test/fixtures/durable-worker.ts in real workerd (miniflare) with its Durable Object namespace
// persisted to a temporary directory, so a test can restart workerd and find the objects' storage
// as it was.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleWorker, MINIFLARE_COMPATIBILITY_DATE } from "@mcp-edge/test-support/workerd";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));

export interface DurableWorker {
  /** A request to the Worker (miniflare's dispatchFetch, typed as the Fetch API). */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** The Worker's own loopback URL, for real HTTP clients. */
  url(): Promise<URL>;
  /** Stops workerd and starts it again over the same storage: every object is rebuilt from storage. */
  restart(): Promise<void>;
  /** The keys an object holds, and its alarm. */
  keys(object: string): Promise<{ keys: string[]; alarm: number | null }>;
  /** Drops an object's memory and WebSockets; its storage stays. */
  reset(object: string): Promise<void>;
  /** What the counting layers saw since the last `resetCounts`. */
  counts(): Promise<Counts>;
  resetCounts(): Promise<void>;
  dispose(): Promise<void>;
}

export interface Counts {
  objectRequests: number;
  byOp: Record<string, number>;
  rowsRead: number;
  rowsWritten: number;
  storageCalls: number;
  alarmsSet: number;
  alarmsRun: number;
  objectsStarted: number;
}

/** Bundles the fixture into `dir` (esbuild takes a moment; each Worker gets its own copy, removed with it). */
async function bundle(dir: string): Promise<void> {
  await bundleWorker(join(here, "..", "fixtures", "durable-worker.ts"), join(dir, "worker.js"));
}

export async function startDurableWorker(bindings: Record<string, string> = {}): Promise<DurableWorker> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-edge-durable-"));
  const buildDir = join(dir, "build");
  const persist = join(dir, "objects");
  await bundle(buildDir);
  const options = () => ({
    modules: true,
    scriptPath: join(buildDir, "worker.js"),
    modulesRoot: buildDir,
    // workerd 1.20260426 refuses compatibility dates after its own release.
    compatibilityDate: MINIFLARE_COMPATIBILITY_DATE,
    durableObjects: { MCP_SESSIONS: { className: "TestSessionObject", useSQLite: true } },
    durableObjectsPersist: persist,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    bindings,
  });
  let mf = new Miniflare(options());
  await mf.ready;
  const fetchWorker = (input: string | URL, init?: RequestInit) =>
    mf.dispatchFetch(input instanceof URL ? input.href : input, init as never) as unknown as Promise<Response>;
  const test = async (path: string, object: string, method = "GET") => {
    const response = await fetchWorker(`http://localhost/__test/${path}?object=${encodeURIComponent(object)}`, {
      method,
    });
    return response;
  };
  return {
    fetch: fetchWorker,
    url: async () => new URL("/mcp", await mf.unsafeGetDirectURL()),
    async restart() {
      await mf.dispose();
      mf = new Miniflare(options());
      await mf.ready;
    },
    keys: async (object) => (await (await test("keys", object)).json()) as { keys: string[]; alarm: number | null },
    async reset(object) {
      const response = await test("reset", object);
      await response.text();
    },
    counts: async () => (await (await fetchWorker("http://localhost/__test/counts")).json()) as Counts,
    async resetCounts() {
      await (await fetchWorker("http://localhost/__test/counts", { method: "DELETE" })).text();
    },
    async dispose() {
      await mf.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A test file's workerd with the fixture Worker, started before its tests and disposed after them.
 * Returns the running worker (call it inside tests).
 */
export function useDurableWorker(): () => DurableWorker {
  let worker: DurableWorker | undefined;
  beforeAll(async () => {
    worker = await startDurableWorker();
  });
  afterAll(async () => {
    await worker?.dispose();
  });
  return () => {
    if (!worker) throw new Error("workerd did not start");
    return worker;
  };
}
