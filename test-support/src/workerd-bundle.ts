// How the tests that run a Worker in real workerd (Miniflare) bundle it: as wrangler does, ESM with Web
// APIs only and the package conditions wrangler resolves with; workerd itself provides `cloudflare:*`.
import { build } from "esbuild";

/** The newest compatibility date the workerd that runs on Node 20 (1.20260426) accepts. */
export const MINIFLARE_COMPATIBILITY_DATE = "2026-04-26";

/** Bundles the Worker module `entry` into `outfile` for Miniflare's `scriptPath`. */
export async function bundleWorker(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    target: "es2022",
    logLevel: "error",
  });
}
