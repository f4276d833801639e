/**
 * The example server on each platform entry, started the way a developer runs it locally and in its
 * default configuration (no allowed hosts configured anywhere): `wrangler dev --local` on the root
 * wrangler.toml, the Vercel route in Vercel's Edge runtime, and the Lambda handler through lambda-local.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EdgeRuntime, runServer } from "edge-runtime";
import { build } from "esbuild";
import { waitForServer } from "../../scripts/conformance.mjs";
import { startLambdaLocalHttp } from "./lambda-local-http.js";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, "..", "..");
const require = createRequire(import.meta.url);

export interface RunningPlatform {
  /** The MCP endpoint, on 127.0.0.1. */
  url: string;
  /** What the server printed, for a failure message. */
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Stops a process group: wrangler leaves workerd running when only wrangler itself is signalled. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    kill("SIGTERM");
  });
}

/** `wrangler dev --local` on the root wrangler.toml (apps/example/src/worker.ts), in its own process group. */
export async function startWranglerDev(): Promise<RunningPlatform> {
  const wrangler = join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [wrangler, "dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false"],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_SEND_ERROR_REPORTS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
    },
  );
  // Should the test process end without stopping it, workerd must not outlive it.
  const killOnExit = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  };
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const running: RunningPlatform = {
    url: `http://127.0.0.1:${port}/mcp`,
    log: () => output,
    stop: () => stopGroup(child),
  };
  try {
    await waitForServer(running.url, { timeoutMs: 60_000, isAlive: () => child.exitCode === null });
  } catch (error) {
    await running.stop();
    throw new Error(`wrangler dev did not start: ${(error as Error).message}\n${output}`);
  }
  return running;
}

/** The Vercel route module bundled as one classic script, as Vercel ships an Edge function, in edge-runtime. */
export async function startVercelEdge(): Promise<RunningPlatform> {
  const bundle = await build({
    entryPoints: [join(here, "vercel-edge-host.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    logLevel: "error",
  });
  const code = bundle.outputFiles[0]?.text;
  if (!code) throw new Error("esbuild produced no Edge bundle");
  // No codeGeneration option: eval and new Function stay forbidden, as on Vercel. No `process` either:
  // the deployment's environment is empty in the default configuration.
  const runtime = new EdgeRuntime({ initialCode: code });
  const edge = await runServer({ runtime, host: "127.0.0.1", port: 0 });
  return { url: new URL("/mcp", edge.url).href, log: () => "", stop: () => edge.close() };
}

/** The Lambda handler file bundled as a user deploys it, invoked per request by lambda-local-http. */
export async function startLambda(): Promise<RunningPlatform> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-edge-conformance-lambda-"));
  const handlerPath = join(dir, "handler.mjs");
  try {
    await build({
      entryPoints: [join(here, "lambda-handler.ts")],
      outfile: handlerPath,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "error",
    });
    const http = await startLambdaLocalHttp(handlerPath);
    return {
      url: `${http.origin}/mcp`,
      log: () => "",
      stop: async () => {
        await http.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
