// The shared storage contract, unchanged, on real Deno (vitest running on the Deno runtime) over
// `Deno.openKv`: an in-memory database shared by every store of a test, and a file-backed database
// opened once per store instance, as separate isolates or processes open one database.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventStoreContract, sessionStoreContract, streamManagerContract } from "@mcp-edge/storage-contract";
import { afterAll } from "vitest";
import { type DenoKv, DenoKvEventStore, DenoKvSessionStore, DenoKvStreamManager } from "../../src/index.js";

interface DenoRuntime {
  version: { deno: string };
  openKv(path?: string): Promise<DenoKv & { close(): void }>;
}

const deno = (globalThis as { Deno?: DenoRuntime }).Deno;
if (!deno || typeof deno.openKv !== "function") throw new Error("this suite runs on Deno with --unstable-kv");
const runtime = deno;

const dir = await mkdtemp(join(tmpdir(), "mcp-edge-deno-kv-contract-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A database for one test: `open()` hands each store instance its own handle (file) or the one handle (memory). */
async function database(kind: "memory" | "file") {
  const handles: (DenoKv & { close(): void })[] = [];
  const path = kind === "memory" ? ":memory:" : join(dir, `${crypto.randomUUID()}.sqlite`);
  const shared = kind === "memory" ? await runtime.openKv(path) : undefined;
  if (shared) handles.push(shared);
  return {
    handle: async (): Promise<DenoKv> => {
      if (shared) return shared;
      const kv = await runtime.openKv(path);
      handles.push(kv);
      return kv;
    },
    close: () => {
      for (const kv of handles) kv.close();
    },
  };
}

for (const kind of ["memory", "file"] as const) {
  const name = `deno kv (Deno ${runtime.version.deno}, ${kind})`;

  sessionStoreContract(name, async () => {
    const db = await database(kind);
    return { open: async () => new DenoKvSessionStore({ kv: await db.handle() }), cleanup: db.close };
  });

  streamManagerContract(name, async () => {
    const db = await database(kind);
    const managers: DenoKvStreamManager[] = [];
    return {
      open: async () => {
        // A file-backed database's watch hears only its own process, so other handles are seen by polling.
        const manager = new DenoKvStreamManager({ kv: await db.handle(), pollIntervalMs: 50 });
        managers.push(manager);
        return manager;
      },
      cleanup: async () => {
        await Promise.all(managers.map((manager) => manager.close()));
        db.close();
      },
    };
  });

  eventStoreContract(name, async () => {
    const db = await database(kind);
    return { open: async (limits) => new DenoKvEventStore({ kv: await db.handle(), ...limits }), cleanup: db.close };
  });
}
