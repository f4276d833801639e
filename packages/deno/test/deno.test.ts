// @mcp-edge/deno on real Deno (the npm `deno` 2.9.6 binary): a bundled program calling serve(), run with
// network access to loopback only; and `deno serve` on a module whose default export is the server.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rawPost } from "@mcp-edge/test-support";
import { MCP_POST_HEADERS, PROTOCOL_VERSION, rpcBody, type WireMessage } from "@mcp-edge/test-support/wire";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The Deno binary from this package's `deno` dev dependency, never one from PATH. Its postinstall puts
 * the platform binary inside the package; running it directly skips the Node wrapper in `.bin/deno`.
 */
function denoBinary(): string {
  const direct = join(dirname(require.resolve("deno/package.json")), "deno");
  if (existsSync(direct)) return direct;
  const shim = join(here, "..", "node_modules", ".bin", "deno");
  if (!existsSync(shim)) throw new Error("deno is not installed in packages/deno/node_modules (run pnpm install)");
  return shim;
}

interface DenoProcess {
  child: ChildProcess;
  output(): string;
  /** The first capture group of `pattern` once it appears in the output. */
  waitFor(pattern: RegExp): Promise<string>;
  /** The exit code once the process has exited on its own. */
  exited: Promise<number | null>;
  /** Kills the whole process group (Deno and anything it started). */
  kill(): Promise<void>;
}

function startDeno(args: string[], cwd: string, env: Record<string, string> = {}): DenoProcess {
  const child = spawn(denoBinary(), args, {
    cwd,
    // Caches in the temp dir; no update check (only the npm registry is reachable here); plain output.
    env: { ...process.env, DENO_DIR: join(cwd, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      output += chunk;
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          listeners.delete(check);
          resolve(match[1] ?? match[0]);
        };
        listeners.add(check);
        check();
        void exited.then((code) => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          reject(new Error(`deno exited (code ${code}) before printing ${pattern}:\n${output}`));
        });
      });
    },
    async kill() {
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

const initializeBody = rpcBody(1, "initialize", {
  protocolVersion: PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: "deno-test", version: "1" },
});

async function post(origin: string, body: string): Promise<Response> {
  return fetch(new URL("/mcp", origin), { method: "POST", headers: MCP_POST_HEADERS, body });
}

async function callTool(origin: string, id: number, name: string, args: Record<string, unknown> = {}) {
  const response = await post(origin, rpcBody(id, "tools/call", { name, arguments: args }));
  expect(response.status).toBe(200);
  return ((await response.json()) as WireMessage).result?.content?.[0]?.text;
}

let dir = "";
const running: DenoProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-edge-deno-"));
  for (const name of ["main", "default-export"]) {
    await build({
      entryPoints: [join(here, "fixtures", `${name}.ts`)],
      outfile: join(dir, `${name}.js`),
      bundle: true,
      format: "esm",
      // Web APIs only, so nothing Node-specific reaches Deno; the core rides inside the bundle.
      platform: "neutral",
      mainFields: ["module", "main"],
      target: "es2022",
      logLevel: "error",
    });
  }
});

afterAll(async () => {
  await Promise.all(running.map((deno) => deno.kill()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("serve(server) under deno run --allow-net=127.0.0.1", () => {
  let deno: DenoProcess | undefined;
  let origin = "";

  beforeAll(async () => {
    deno = startDeno(["run", "--allow-net=127.0.0.1", join(dir, "main.js")], dir);
    running.push(deno);
    origin = await deno.waitFor(/mcp listening on (http:\/\/[^\s]+)/);
  });

  it("binds 127.0.0.1 when no hostname is given", () => {
    expect(new URL(origin).hostname).toBe("127.0.0.1");
  });

  it("answers initialize and tools/call, statelessly (Deno's default)", async () => {
    const init = await post(origin, initializeBody);
    expect(init.status).toBe(200);
    expect(init.headers.get("mcp-session-id")).toBeNull();
    const initialized = (await init.json()) as WireMessage;
    expect(initialized.result?.serverInfo?.name).toBe("deno-fixture");
    expect(initialized.result?.protocolVersion).toBe(PROTOCOL_VERSION);

    expect(await callTool(origin, 2, "add", { a: 2, b: 3 })).toBe("5");
    expect(await callTool(origin, 3, "runtime")).toBe("deno 2.9.6");
  });

  it("shuts down gracefully through the signal option", async () => {
    expect(await callTool(origin, 4, "shutdown")).toBe("shutting down");
    // `handle.finished` resolved and nothing else kept Deno alive: it exits on its own, cleanly.
    expect(await deno?.exited).toBe(0);
    expect(deno?.output()).toContain("mcp server finished");
  });
});

describe("export default server under deno serve", () => {
  it("answers initialize and tools/call", async () => {
    const deno = startDeno(["serve", "--port", "0", "--host", "127.0.0.1", join(dir, "default-export.js")], dir);
    running.push(deno);
    const origin = await deno.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);

    const init = await post(origin, initializeBody);
    expect(init.status).toBe(200);
    expect(((await init.json()) as WireMessage).result?.serverInfo?.name).toBe("deno-serve-fixture");
    expect(await callTool(origin, 2, "hello")).toBe("hello");
  });
});

/** initialize as a browser sends it to a rebound name (`host`, with its own origin). node:http sets any Host. */
function initializeAs(origin: string, host: string): Promise<{ status: number; body: string }> {
  return rawPost(new URL("/mcp", origin), { ...MCP_POST_HEADERS, host, origin: `http://${host}` }, initializeBody);
}

describe("DNS-rebinding protection under serve(server)", () => {
  const ENV = { MCP_ALLOWED_HOSTS: "mcp.example.com", MCP_ALLOWED_ORIGINS: "https://app.example.com" };

  it("serves loopback names only by default, and says what to set", async () => {
    // MCP_ALLOWED_HOSTS is in the environment, but the program may not read it: the default holds.
    const deno = startDeno(["run", "--allow-net=127.0.0.1", join(dir, "main.js")], dir, ENV);
    running.push(deno);
    const origin = await deno.waitFor(/mcp listening on (http:\/\/[^\s]+)/);
    const rebound = await initializeAs(origin, "evil.example");
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toBe(
      "Forbidden: Host 'evil.example' is not allowed: add it to allowedHosts or MCP_ALLOWED_HOSTS",
    );
    expect((await initializeAs(origin, "mcp.example.com")).status).toBe(403);
    expect((await initializeAs(origin, new URL(origin).host)).status).toBe(200);
    await deno.kill();
  });

  it("serves the hosts MCP_ALLOWED_HOSTS lists when the program may read it", async () => {
    const deno = startDeno(
      ["run", "--allow-net=127.0.0.1", "--allow-env=MCP_ALLOWED_HOSTS,MCP_ALLOWED_ORIGINS", join(dir, "main.js")],
      dir,
      ENV,
    );
    running.push(deno);
    const origin = await deno.waitFor(/mcp listening on (http:\/\/[^\s]+)/);
    expect((await initializeAs(origin, "mcp.example.com")).status).toBe(200);
    expect((await initializeAs(origin, "evil.example")).status).toBe(403);
    // The list replaces the loopback default.
    expect((await initializeAs(origin, new URL(origin).host)).status).toBe(403);
    await deno.kill();
  });
});
