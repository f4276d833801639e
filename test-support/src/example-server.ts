/**
 * Real example server processes (`node apps/example/dist/node.js`) on loopback, each in a process group of its
 * own so that stopping one takes everything it started with it, and so that nothing outlives the test run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The workspace root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXAMPLE_DIR = join(ROOT, "apps", "example");
/** The built example server's Node entry. */
const EXAMPLE_ENTRY = join(EXAMPLE_DIR, "dist", "node.js");

/** Only for a server that never comes up at all (a healthy one listens in well under a second). */
const STARTUP_LIMIT_MS = 30_000;
const LISTENING = /listening on (http:\/\/\S+\/mcp) \(mode: (\w+), store: (.+?), instance: (\S+)\)/;

/** Variables of the parent that must not leak into a server the test configures explicitly. */
const SCRUBBED = [
  "PORT",
  "HOST",
  "MCP_MODE",
  "MCP_STORE",
  "MCP_STORE_PREFIX",
  "MCP_INSTANCE_ID",
  "MCP_ALLOWED_HOSTS",
  "MCP_ALLOWED_ORIGINS",
  "MCP_REQUEST_HEARTBEAT_INTERVAL_MS",
  "MCP_REQUEST_HEARTBEAT_TIMEOUT_MS",
  "REDIS_URL",
  "UPSTASH_REDIS_REST_URL",
  "UPSTASH_REDIS_REST_TOKEN",
];

// Every process group started here, killed when the test process exits however it exits (a safety net:
// the test files stop their instances in afterAll).
const groups = new Set<number>();
process.once("exit", () => {
  for (const pid of groups) killGroup(pid, "SIGKILL");
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** This process's environment without SCRUBBED, then loopback, `port` and `env`. */
function serverEnv(env: Record<string, string>, port: number): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUBBED) delete merged[name];
  return Object.assign(merged, { HOST: "127.0.0.1", PORT: String(port), ...env });
}

/** The tests drive the built server: a missing or stale build is a setup error, named as such. */
function assertExampleBuilt(): void {
  if (!existsSync(EXAMPLE_ENTRY)) {
    throw new Error(`${EXAMPLE_ENTRY} is missing: build the workspace first (pnpm build)`);
  }
  if (newestMtime(join(EXAMPLE_DIR, "src")) > statSync(EXAMPLE_ENTRY).mtimeMs) {
    throw new Error(`${EXAMPLE_ENTRY} is older than apps/example/src: rebuild first (pnpm build)`);
  }
}

/** A running example server. */
export interface ExampleServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`, what the round-robin proxy takes as a target. */
  readonly origin: string;
  readonly port: number;
  /** What the server reported at startup (and what its `whoami` tool answers). */
  readonly instanceId: string;
  /** The mode and store the server reported at startup. */
  readonly mode: string;
  readonly store: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** How the process ended, once it has: exit code or signal. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Graceful stop (SIGTERM: the server drains, ends its streams, closes its store), SIGKILL past a limit. */
  stop(): Promise<void>;
  /** SIGKILL to the whole process group, at once. */
  kill(): Promise<void>;
}

/** How to start an example server. */
export interface ExampleServerOptions {
  /** Environment for the server (merged over a scrubbed copy of this process's). */
  env?: Record<string, string>;
  /** Default 0: a free port. Pass the previous port to restart "the same" server. */
  port?: number;
}

/** Starts the example server and resolves once it prints that it listens. */
export async function startExampleServer({ env = {}, port = 0 }: ExampleServerOptions = {}): Promise<ExampleServer> {
  assertExampleBuilt();
  const child = spawn(process.execPath, [EXAMPLE_ENTRY], {
    cwd: ROOT,
    env: serverEnv(env, port),
    stdio: ["ignore", "pipe", "pipe"],
    // A process group of its own: kill(-pid) reaches it and anything it spawns.
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not spawn the example server");
  groups.add(pid);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitInfo = { code, signal };
      groups.delete(pid);
      resolve();
    });
  });

  const listening = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(pid, "SIGKILL");
      reject(new Error(`example server did not start within ${STARTUP_LIMIT_MS} ms\n${stdout}\n${stderr}`));
    }, STARTUP_LIMIT_MS);
    const check = () => {
      const match = LISTENING.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve(match);
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`example server exited (${code ?? signal}) before listening\n${stdout}\n${stderr}`));
    });
  });
  const url = listening[1] ?? "";
  const origin = new URL(url).origin;

  const stopWith = async (signal: NodeJS.Signals) => {
    if (exitInfo) return;
    killGroup(pid, signal);
    if (signal !== "SIGKILL") {
      const timer = setTimeout(() => killGroup(pid, "SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    } else {
      await exited;
    }
  };

  return {
    url,
    origin,
    port: Number(new URL(url).port),
    mode: listening[2] ?? "",
    store: listening[3] ?? "",
    instanceId: listening[4] ?? "",
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    alive: () => exitInfo === undefined,
    exit: () => exitInfo,
    stop: () => stopWith("SIGTERM"),
    kill: () => stopWith("SIGKILL"),
  };
}

/** How a process that ran to its end ended: its exit code and output. */
export interface ExitedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the example entry to completion (for startup failures): its exit code and output. */
export function runExampleToExit(env: Record<string, string>): Promise<ExitedProcess> {
  assertExampleBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EXAMPLE_ENTRY], {
      cwd: ROOT,
      env: serverEnv(env, 0),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`example entry did not exit within ${STARTUP_LIMIT_MS} ms; stdout:\n${stdout}`));
    }, STARTUP_LIMIT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
