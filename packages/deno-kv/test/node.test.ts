// The shared storage contract, unchanged, on Node over `@deno/kv` 0.14.0: `openKv("")` is its
// in-memory store, which honours `expireIn` late or never, so the stores' expiry stamps decide.
import { openKv } from "@deno/kv";
import { eventStoreContract, sessionStoreContract, streamManagerContract } from "@mcp-edge/storage-contract";
import { DenoKvEventStore, DenoKvSessionStore, DenoKvStreamManager } from "../src/index.js";

/** One database per test, as one deployment shares one; every store opened on it shares its data. */
async function database() {
  const kv = await openKv("");
  return { kv, close: () => kv.close() };
}

sessionStoreContract("deno kv (@deno/kv on node)", async () => {
  const { kv, close } = await database();
  return { open: () => new DenoKvSessionStore({ kv }), cleanup: close };
});

streamManagerContract("deno kv (@deno/kv on node)", async () => {
  const { kv, close } = await database();
  const managers: DenoKvStreamManager[] = [];
  return {
    open: () => {
      const manager = new DenoKvStreamManager({ kv, pollIntervalMs: 200 });
      managers.push(manager);
      return manager;
    },
    cleanup: async () => {
      await Promise.all(managers.map((manager) => manager.close()));
      close();
    },
  };
});

eventStoreContract("deno kv (@deno/kv on node)", async () => {
  const { kv, close } = await database();
  return { open: (limits) => new DenoKvEventStore({ kv, ...limits }), cleanup: close };
});
