#!/usr/bin/env node
// `npm start`: serve the example server at http://127.0.0.1:3000/mcp (PORT, HOST, MCP_MODE, MCP_STORE from the
// environment; see README.md). Works on a fresh machine with only Node >= 20 and npm: gets pnpm 12.21.0, installs
// when node_modules is missing or stale, builds the example and its workspace dependencies, then runs
// `node apps/example/dist/node.js`, forwarding the environment and signals. Node built-ins only.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { bin, ensurePnpm, installIsStale, pnpmInstall, ROOT, run, step, TURBO_ENV } from "./lib.mjs";

const EXAMPLE = "@mcp-edge/example";
const ENTRY = join(ROOT, "apps/example/dist/node.js");
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];

async function main() {
  if (installIsStale()) {
    const pnpm = await ensurePnpm();
    if ((await pnpmInstall(pnpm)) !== 0) throw new Error("pnpm install failed");
  }
  step(`turbo run build --filter=${EXAMPLE}...`);
  const built = await run(bin("turbo"), ["run", "build", `--filter=${EXAMPLE}...`, "--output-logs=errors-only"], {
    env: TURBO_ENV,
  });
  if (built !== 0) throw new Error("build failed");

  step(`node ${ENTRY}`);
  // Own process group: a terminal's Ctrl-C reaches only this process (and npm, which forwards it here too), and we
  // forward exactly one signal. The server treats a second signal as "exit at once", so duplicates are dropped.
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: process.env,
    detached: true,
  });
  const lastSent = new Map();
  const forward = (signal) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const now = Date.now();
    if (now - (lastSent.get(signal) ?? 0) < 1_000) return;
    lastSent.set(signal, now);
    child.kill(signal);
  };
  for (const signal of SIGNALS) process.on(signal, () => forward(signal));
  process.on("exit", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      // Mirror the child's death by signal (default handlers again, so the re-raised signal ends this process).
      for (const s of SIGNALS) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 0);
  });
}

main().catch((err) => {
  console.error(`npm start: ${err.message}`);
  process.exit(1);
});
