// Current wrangler (and the workerd it pins) for the tests that run `wrangler dev` / `wrangler deploy --dry-run`, so
// what is tested is what users install today. Current wrangler needs Node >= 22.12: it runs on the Node 22 binary the
// conformance CLIs use (scripts/conformance.mjs `ensureNode22`). It is installed once into .tools/wrangler-<version>
// (gitignored) with npm, outside the pnpm workspace, so `pnpm install` on Node 20 never meets its engines field.
//
//   node scripts/wrangler.mjs          installs it and prints `<node> <wrangler.js>`
//
// Node built-ins only. Also imported by the conformance and runtime tests (types: scripts/wrangler.d.mts).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureNode22, npmInstallInto, TOOLS_DIR, waitForServer } from "./conformance.mjs";
import { ROOT, step } from "./lib.mjs";

/** The wrangler release the tests run and the READMEs name (latest 4.x when pinned). */
export const WRANGLER_VERSION = "4.164.0";
/** The newest compatibility_date its workerd accepts: the root wrangler.toml uses it. */
export const WORKERD_COMPATIBILITY_DATE = "2026-11-17";
/** What wrangler must not do in tests: phone home, or fetch `request.cf` data from Cloudflare. */
export const WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

function installedVersion(pkgDir) {
  try {
    return JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/**
 * `{ node, wrangler }`: a Node >= 22 binary and the pinned wrangler's bin/wrangler.js, installing what is missing.
 * Idempotent and fast when present; safe when several test files call it at once (see npmInstallInto).
 */
export async function provisionWrangler({ quiet = false } = {}) {
  const dir = join(TOOLS_DIR, `wrangler-${WRANGLER_VERSION}`);
  const pkgDir = join(dir, "node_modules", "wrangler");
  const [node] = await Promise.all([
    ensureNode22({ quiet }),
    (async () => {
      if (installedVersion(pkgDir) === WRANGLER_VERSION) return;
      if (!quiet) step(`installing wrangler@${WRANGLER_VERSION} into .tools/wrangler-${WRANGLER_VERSION}`);
      await npmInstallInto(dir, `wrangler@${WRANGLER_VERSION}`, { quiet });
      if (installedVersion(pkgDir) !== WRANGLER_VERSION) throw new Error(`wrangler did not install into ${dir}`);
    })(),
  ]);
  const wrangler = join(pkgDir, "bin", "wrangler.js");
  if (!existsSync(wrangler)) throw new Error(`${wrangler} is missing`);
  return { node, wrangler };
}

/** A free loopback port (probed, then released). */
export function freePort() {
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
function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = (signal) => {
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

/**
 * `wrangler dev --local` on the root wrangler.toml, on 127.0.0.1, in its own process group, with `vars` added to its
 * `[vars]` (`--var NAME:VALUE`). Local Durable Object state goes to a directory of its own, removed on stop.
 * Resolves once the Worker answers at `url` (the MCP endpoint); `log()` is everything wrangler printed.
 */
export async function startWranglerDev({ vars = {}, timeoutMs = 90_000 } = {}) {
  const { node, wrangler } = await provisionWrangler({ quiet: true });
  const port = await freePort();
  const inspectorPort = await freePort();
  const state = mkdtempSync(join(tmpdir(), "mcp-edge-wrangler-dev-"));
  const args = [
    wrangler,
    "dev",
    "--local",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    state,
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
  const child = spawn(node, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...WRANGLER_ENV },
  });
  // Should this process end without stopping it, workerd must not outlive it.
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
  const onData = (chunk) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const running = {
    url: `http://127.0.0.1:${port}/mcp`,
    log: () => output,
    stop: async () => {
      await stopGroup(child);
      rmSync(state, { recursive: true, force: true });
    },
  };
  try {
    await waitForServer(running.url, { timeoutMs, isAlive: () => child.exitCode === null });
  } catch (error) {
    await running.stop();
    throw new Error(`wrangler dev did not start: ${error.message}\n${output}`);
  }
  return running;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { node, wrangler } = await provisionWrangler();
  console.log(`${node} ${wrangler}`);
}
