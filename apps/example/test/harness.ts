/**
 * Starts the built example server (`node apps/example/dist/node.js`) as a real child process on a free
 * port and stops it again; plus small raw-HTTP helpers for the tests that speak JSON-RPC by hand.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const NODE_ENTRY = join(exampleDir, "dist", "node.js");

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const LISTENING = /listening on (http:\/\/\S+\/mcp) \(mode: (\w+)/;

export const LATEST_PROTOCOL_VERSION = "2025-11-25";

// A safety net: servers still running when the test process exits (a crashed hook) must not outlive it.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The tests drive the built server, so a missing or stale build is a setup error, named as such. */
function assertBuilt(): void {
  if (!existsSync(NODE_ENTRY)) {
    throw new Error(`${NODE_ENTRY} is missing: build the workspace first (pnpm build)`);
  }
  if (newestMtime(join(exampleDir, "src")) > statSync(NODE_ENTRY).mtimeMs) {
    throw new Error(`${NODE_ENTRY} is older than apps/example/src: rebuild first (pnpm build)`);
  }
}

export interface RunningServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  readonly url: string;
  /** The mode the server reported at startup. */
  readonly mode: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface ExitedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env };
  // The parent's settings must not leak into a server the test configures explicitly.
  for (const name of [
    "MCP_MODE",
    "MCP_STORE",
    "MCP_STORE_PREFIX",
    "MCP_INSTANCE_ID",
    "MCP_ALLOWED_HOSTS",
    "MCP_ALLOWED_ORIGINS",
    "REDIS_URL",
    "UPSTASH_REDIS_REST_URL",
    "UPSTASH_REDIS_REST_TOKEN",
  ]) {
    if (!(name in env)) delete merged[name];
  }
  return merged;
}

/** Starts the example server with `env` (PORT defaults to 0: the OS picks a free port). */
export async function startExample(env: Record<string, string> = {}): Promise<RunningServer> {
  assertBuilt();
  const child = spawn(process.execPath, [NODE_ENTRY], { env: baseEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );

  const { url, mode } = await new Promise<{ url: string; mode: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`example server did not start within ${STARTUP_TIMEOUT_MS} ms; stderr:\n${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      const match = LISTENING.exec(stdout);
      if (match?.[1] !== undefined && match[2] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1], mode: match[2] });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`example server exited with code ${code} before listening; stderr:\n${stderr}`));
    });
  });

  return {
    url,
    mode,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs the example entry to completion (for startup failures): its exit code and output. */
export function runExampleToExit(env: Record<string, string>): Promise<ExitedProcess> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NODE_ENTRY], { env: baseEnv(env), stdio: ["ignore", "pipe", "pipe"] });
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
      reject(new Error(`example entry did not exit within ${STARTUP_TIMEOUT_MS} ms; stdout:\n${stdout}`));
    }, STARTUP_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A JSON-RPC error object as it appears on the wire. */
export interface WireError {
  code: number;
  message: string;
  data?: unknown;
}

/** A JSON-RPC response or error as it appears on the wire (loosely typed on purpose: tests check it). */
export interface WireMessage {
  jsonrpc?: unknown;
  id?: unknown;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: WireError;
}

export const JSON_ONLY = "application/json";
export const JSON_AND_SSE = "application/json, text/event-stream";

/** Headers of a well-formed stateless POST; override any of them per test. */
export function postHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", accept: JSON_ONLY, ...overrides };
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: postHeaders(headers),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function rpc(id: number | string, method: string, params?: Record<string, unknown>): Record<string, unknown> {
  return params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
}

/** Reads a JSON body (the response must say application/json). */
export async function readJson(response: Response): Promise<WireMessage | WireMessage[]> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new Error(`expected application/json, got "${type}" (HTTP ${response.status}): ${await response.text()}`);
  }
  return (await response.json()) as WireMessage | WireMessage[];
}

export async function readSingle(response: Response): Promise<WireMessage> {
  const body = await readJson(response);
  if (Array.isArray(body)) throw new Error(`expected one JSON-RPC message, got an array of ${body.length}`);
  return body;
}

/** Parses a complete SSE body into the JSON messages of its `data:` fields (priming events have none). */
export function parseSse(body: string): WireMessage[] {
  const messages: WireMessage[] = [];
  for (const event of body.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).replace(/^ /, ""))
      .join("\n");
    if (data !== "") messages.push(JSON.parse(data) as WireMessage);
  }
  return messages;
}

/** The messages of a response, whether it was framed as JSON (one or a batch) or as SSE. */
export async function readMessages(response: Response): Promise<WireMessage[]> {
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) return parseSse(await response.text());
  const body = await readJson(response);
  return Array.isArray(body) ? body : [body];
}
