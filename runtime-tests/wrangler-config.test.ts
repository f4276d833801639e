// The root wrangler.toml must describe a Worker that runs and deploys with the wrangler users install today
// (scripts/wrangler.mjs: current wrangler on Node 22). `wrangler dev` serves it as committed (sessions in Durable
// Objects) and `wrangler deploy --dry-run` bundles it with its Durable Object binding, without an account.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  provisionWrangler,
  startWranglerDev,
  WORKERD_COMPATIBILITY_DATE,
  WRANGLER_ENV,
  type WranglerDev,
} from "../scripts/wrangler.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A top-level `key = "value"` of wrangler.toml. */
function tomlString(source: string, key: string): string {
  const match = new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m").exec(source);
  if (!match?.[1]) throw new Error(`wrangler.toml has no ${key}`);
  return match[1];
}

let dev: WranglerDev | undefined;
let outDir: string | undefined;
let dryRun: { code: number; output: string } | undefined;

function runWrangler(args: string[], node: string, wrangler: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(node, [wrangler, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...WRANGLER_ENV },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", (error) => resolve({ code: 127, output: `${output}\n${error.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

beforeAll(async () => {
  const { node, wrangler } = await provisionWrangler({ quiet: true });
  outDir = await mkdtemp(join(tmpdir(), "mcp-edge-wrangler-deploy-"));
  // One after the other: each wrangler run bundles the Worker, and the machine has two cores.
  dryRun = await runWrangler(["deploy", "--dry-run", "--outdir", outDir], node, wrangler);
  dev = await startWranglerDev();
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  if (!dev) throw new Error("wrangler dev did not start");
  return fetch(dev.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(body),
  });
}

describe("root wrangler.toml", () => {
  it("names the newest compatibility date the pinned wrangler's workerd accepts", async () => {
    const toml = await readFile(join(root, "wrangler.toml"), "utf8");
    expect(tomlString(toml, "compatibility_date")).toBe(WORKERD_COMPATIBILITY_DATE);
    expect(tomlString(toml, "MCP_SESSIONS_MODE")).toBe("durable-objects");
  });

  it("is served by wrangler dev with sessions in Durable Objects", async () => {
    const init = await post({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    expect(init.status).toBe(200);
    const sessionId = init.headers.get("mcp-session-id");
    expect(sessionId).toMatch(/^[\w-]{16,}$/);
    const initialized = (await init.json()) as { result?: { serverInfo?: unknown } };
    expect(initialized.result?.serverInfo).toMatchObject({ name: "mcp-edge-example" });
    const session = { "mcp-session-id": sessionId ?? "" };

    const echo = await post(
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "echo", arguments: { text: "workerd" } } },
      { ...session, accept: "application/json, text/event-stream" },
    );
    expect(echo.status).toBe(200);
    const echoed = (await echo.json()) as { result?: { content?: unknown } };
    expect(echoed.result?.content).toEqual([{ type: "text", text: "workerd" }]);

    if (!dev) throw new Error("wrangler dev did not start");
    const ended = await fetch(dev.url, { method: "DELETE", headers: session });
    expect(ended.status).toBe(200);
    await ended.body?.cancel();
    const gone = await post({ jsonrpc: "2.0", id: 3, method: "ping" }, session);
    expect(gone.status).toBe(404);
    await gone.body?.cancel();
  });

  it("bundles for deployment with `wrangler deploy --dry-run`: the Worker, its Durable Object class and binding", async () => {
    if (!dryRun || !outDir) throw new Error("the dry run did not run");
    expect(dryRun.code, dryRun.output).toBe(0);
    expect(dryRun.output).toMatch(/env\.MCP_SESSIONS \(McpSessionObject\)\s+Durable Object/);
    expect(dryRun.output).toMatch(/env\.MCP_SESSIONS_MODE \("durable-objects"\)/);
    expect(dryRun.output).toMatch(/--dry-run: exiting now/);
    const files = await readdir(outDir);
    const main = files.find((name) => name.endsWith(".js"));
    expect(main, `files: ${files.join(", ")}`).toBeDefined();
    const bundle = await readFile(join(outDir, main ?? ""), "utf8");
    // The main module exports the Durable Object class the binding names, and the fetch handler.
    expect(bundle).toMatch(/export\s*\{[^}]*\bMcpSessionObject\b[^}]*\}/);
    expect(bundle).toMatch(/export\s*\{[^}]*\bdefault\b[^}]*\}/);
    // Nothing Node-only reached it: the Worker needs no nodejs_compat flag.
    expect(bundle).not.toMatch(/from\s*["']node:/);
  });
});
