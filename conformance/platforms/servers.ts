/**
 * The example server on each platform entry, started the way a developer runs it locally and in its
 * default configuration (no allowed hosts configured anywhere): `wrangler dev --local` on the root
 * wrangler.toml (stateless unless a sessions mode is asked for), the Vercel route in Vercel's Edge
 * runtime, and the Lambda handler through lambda-local.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EdgeRuntime, runServer } from "edge-runtime";
import { build } from "esbuild";
import { startWranglerDev as startWrangler } from "../../scripts/wrangler.mjs";
import { startLambdaLocalHttp } from "./lambda-local-http.js";

const here = dirname(fileURLToPath(import.meta.url));

export interface RunningPlatform {
  /** The MCP endpoint, on 127.0.0.1. */
  url: string;
  /** What the server printed, for a failure message. */
  log(): string;
  stop(): Promise<void>;
}

/** Where the example Worker keeps sessions (the root wrangler.toml's `MCP_SESSIONS_MODE`). */
export type WorkerSessionsMode = "stateless" | "durable-objects" | "upstash";

export interface WranglerDevOptions {
  /**
   * Default `stateless`, the one configuration every platform entry shares (the root wrangler.toml itself
   * chooses `durable-objects`; conformance/workers-sessions.test.ts runs that).
   */
  mode?: WorkerSessionsMode;
  /** More `[vars]` for this run (e.g. the Upstash URL and token). */
  vars?: Record<string, string>;
}

/**
 * `wrangler dev --local` on the root wrangler.toml (apps/example/src/worker.ts) with the current wrangler on
 * Node 22, as users run it (scripts/wrangler.mjs), in the sessions mode asked for.
 */
export function startWranglerDev(options: WranglerDevOptions = {}): Promise<RunningPlatform> {
  return startWrangler({ vars: { MCP_SESSIONS_MODE: options.mode ?? "stateless", ...options.vars } });
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
