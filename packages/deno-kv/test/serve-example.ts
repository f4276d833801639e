// Bundles the example's Deno entry (apps/example/src/deno-kv/main.ts) and serves it with real
// `deno serve`, as a user deploys it: used by the cross-process test here and by
// conformance/deno-kv.test.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { denoBinary, denoEnv } from "./deno-binary.js";

const here = dirname(fileURLToPath(import.meta.url));
const ENTRY = join(here, "..", "..", "..", "apps", "example", "src", "deno-kv", "main.ts");

export interface ExampleBundle {
  /** A temporary directory holding the bundle; databases and Deno's caches go here too. */
  dir: string;
  file: string;
  remove(): Promise<void>;
}

/** The Deno entry and everything it imports in one ES module with Web APIs only. */
export async function bundleDenoExample(): Promise<ExampleBundle> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-edge-deno-kv-example-"));
  const file = join(dir, "main.js");
  await build({
    entryPoints: [ENTRY],
    outfile: file,
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["deno", "worker", "import"],
    target: "es2022",
    logLevel: "error",
  });
  return { dir, file, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface DenoServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  log(): string;
  /** Kills Deno's whole process group and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * `deno serve` on the bundle with KV enabled, reading and writing only its directory, reaching only
 * loopback; `env` chooses the store and mode (see main.ts).
 */
export async function startDenoServe(bundle: ExampleBundle, env: Record<string, string>): Promise<DenoServer> {
  const args = [
    "serve",
    "--unstable-kv",
    "--allow-env",
    "--allow-net=127.0.0.1",
    `--allow-read=${bundle.dir}`,
    `--allow-write=${bundle.dir}`,
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    bundle.file,
  ];
  const child: ChildProcess = spawn(denoBinary(), args, {
    cwd: bundle.dir,
    env: denoEnv(bundle.dir, env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: string) => {
      output += chunk;
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.setEncoding("utf8").on("data", onData);
    child.stderr?.setEncoding("utf8").on("data", onData);
    void exited.then((code) => reject(new Error(`deno serve exited (code ${code}) before listening:\n${output}`)));
  });
  return {
    origin,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      await exited;
    },
  };
}
