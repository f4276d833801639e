import type { DenoKv, KvKey } from "./kv.js";

export interface DenoKvStoreOptions {
  /** The database: `await Deno.openKv()` on Deno and Deno Deploy, `await openKv(path)` from `@deno/kv` on Node. */
  kv: DenoKv;
  /**
   * Prepended to every key this package writes, so several deployments can share one database.
   * Default `["mcp"]`.
   */
  prefix?: KvKey;
  /** Upper bound on one KV call before it fails with `StoreUnavailableError` (default 10000 ms; 0 disables). */
  commandTimeoutMs?: number;
}

export const DEFAULT_KV_PREFIX: KvKey = ["mcp"];
