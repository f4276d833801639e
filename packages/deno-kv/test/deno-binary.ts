import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * The Deno binary from this package's `deno` dev dependency, never one from PATH. Its postinstall
 * puts the platform binary inside the package; running it directly skips the Node wrapper.
 */
export function denoBinary(): string {
  const direct = join(dirname(require.resolve("deno/package.json")), "deno");
  if (!existsSync(direct)) throw new Error("deno is not installed in packages/deno-kv/node_modules (run pnpm install)");
  return direct;
}

/** The environment for a Deno child: caches in `dir`, no update check, plain output, no vitest state of ours. */
export function denoEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("VITEST") && key !== "NODE_OPTIONS") env[key] = value;
  }
  return { ...env, DENO_DIR: join(dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...extra };
}
