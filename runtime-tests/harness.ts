/**
 * Shared by every runtime test: bundling the fixture once per test file, starting a runtime as a child
 * process in its own process group, and the MCP exchanges every runtime must answer identically.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** What the fixture app registers; every runtime must report exactly this. */
export const FIXTURE = {
  serverInfo: { name: "runtime-fixture", version: "1.0.0" },
  protocolVersion: "2025-11-25",
  addInputSchema: {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
    additionalProperties: false,
  },
} as const;

export interface Bundle {
  dir: string;
  /** The fixture app as one self-contained ES module whose default export is the McpServer. */
  appPath: string;
  /** Writes a further file beside the bundle (a runtime's entry script importing `./app.js`). */
  write(name: string, source: string): Promise<string>;
  remove(): Promise<void>;
}

/**
 * Bundles fixture/app.ts (and @mcp-edge/core with it) into a temp dir. `platform: "neutral"` keeps
 * Node built-ins and Node-only package fields out, so the very same file is valid in workerd, Deno,
 * Bun and Node: what runs is one core module, not four builds of it.
 */
export async function bundleFixture(entry = join(here, "fixture", "app.ts")): Promise<Bundle> {
  const dir = await mkdtemp(join(tmpdir(), "mcp-edge-runtime-"));
  const appPath = join(dir, "app.js");
  try {
    await build({
      entryPoints: [entry],
      outfile: appPath,
      bundle: true,
      format: "esm",
      platform: "neutral",
      // "neutral" has no default main fields; these let a dependency without "exports" resolve too.
      mainFields: ["module", "main"],
      target: "es2022",
      logLevel: "error",
    });
  } catch (error) {
    // The caller never gets a handle to clean up with, so do it here.
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    appPath,
    async write(name, source) {
      const path = join(dir, name);
      await writeFile(path, source);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A runtime binary installed from npm into this package's node_modules (never one from PATH).
 * Deno's postinstall hard-links its platform package's binary into the `deno` package; running that
 * file directly skips the Node wrapper that `.bin/deno` goes through. Bun's `.bin/bun` is the binary.
 */
export function runtimeBinary(name: "deno" | "bun"): string {
  if (name === "deno") {
    const direct = join(
      dirname(require.resolve("deno/package.json")),
      process.platform === "win32" ? "deno.exe" : "deno",
    );
    if (existsSync(direct)) return direct;
  }
  const shim = join(here, "node_modules", ".bin", name);
  if (!existsSync(shim)) throw new Error(`${name} is not installed in runtime-tests/node_modules (run pnpm install)`);
  return shim;
}

export interface RuntimeProcess {
  child: ChildProcess;
  /** Resolves with the first capture group of `pattern` once it appears on stdout or stderr. */
  waitFor(pattern: RegExp): Promise<string>;
  output(): string;
  /** Stops the whole process group (the runtime and anything it started). */
  stop(): Promise<void>;
}

/** Starts `command` in its own process group, collecting its output so failures can show it. */
export function startRuntime(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): RuntimeProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const waiters: Array<{ pattern: RegExp; resolve: (match: string) => void; reject: (error: Error) => void }> = [];
  const check = () => {
    for (const waiter of waiters.splice(0)) {
      const match = waiter.pattern.exec(output);
      if (match) waiter.resolve(match[1] ?? match[0]);
      else waiters.push(waiter);
    }
  };
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      for (const waiter of waiters.splice(0)) {
        waiter.reject(
          new Error(`${command} exited (code ${code}, signal ${signal}) before printing ${waiter.pattern}:\n${output}`),
        );
      }
      resolve();
    });
  });
  child.once("error", (error) => {
    for (const waiter of waiters.splice(0)) waiter.reject(error);
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      output += chunk;
      check();
    });
  }
  return {
    child,
    output: () => output,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
      await exited;
    },
  };
}

/** The little of RequestInit these tests send, so every transport (fetch, dispatchFetch) takes it as is. */
export interface SimpleRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A Fetch function aimed at one runtime: real HTTP for most, miniflare's dispatchFetch for workerd. */
export type Fetcher = (path: string, init: SimpleRequestInit) => Promise<Response>;

export function httpFetcher(origin: string): Fetcher {
  return (path, init) => fetch(new URL(path, origin), init);
}

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: number | string | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * The JSON-RPC response in a reply, whether the server answered with JSON or with an SSE stream (it may
 * choose SSE when the client accepts it): in a stream, the last `data:` payload carrying an `id` is it.
 */
export async function readJsonRpc(response: Response): Promise<{ contentType: string; message: JsonRpcResponse }> {
  const contentType = response.headers.get("content-type") ?? "";
  const text = await response.text();
  if (!contentType.startsWith("text/event-stream")) {
    return { contentType, message: JSON.parse(text) as JsonRpcResponse };
  }
  const messages = text
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n"),
    )
    .filter((data) => data.length > 0)
    .map((data) => JSON.parse(data) as JsonRpcResponse & { method?: string });
  const reply = messages.filter((m) => "id" in m && m.method === undefined).at(-1);
  if (!reply) throw new Error(`no JSON-RPC response in the SSE stream:\n${text}`);
  return { contentType, message: reply };
}

const mcpHeaders = {
  "content-type": "application/json",
  "mcp-protocol-version": FIXTURE.protocolVersion,
};

/** `initialize`, as a client that accepts both JSON and SSE sends it. */
export async function initialize(fetcher: Fetcher) {
  const response = await fetcher("/mcp", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: FIXTURE.protocolVersion, capabilities: {}, clientInfo: { name: "t", version: "1" } },
    }),
  });
  return { status: response.status, ...(await readJsonRpc(response)) };
}

/** A stateless JSON-only request (no initialize, no session), as curl or an HTTP-only client sends it. */
export async function request(fetcher: Fetcher, id: number, method: string, params: Record<string, unknown>) {
  const response = await fetcher("/mcp", {
    method: "POST",
    headers: { ...mcpHeaders, accept: "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
  });
  return { status: response.status, ...(await readJsonRpc(response)) };
}

/** The text of a tools/call result's first content block. */
export function firstText(message: JsonRpcResponse): string | undefined {
  const content = message.result?.content;
  if (!Array.isArray(content)) return undefined;
  const first: unknown = content[0];
  if (typeof first !== "object" || first === null || !("text" in first)) return undefined;
  return typeof first.text === "string" ? first.text : undefined;
}
