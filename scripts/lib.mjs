// Shared helpers for the project's scripts (test, start, conformance). Node built-ins only: these run on a fresh
// machine before any dependency is installed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const PNPM_VERSION = "12.21.0";

/** Print a step banner so long logs stay readable. */
export function step(title) {
  console.log(`\n==> ${title}`);
}

/**
 * Run a command with its output streamed live (stdio inherited). Resolves with the exit code (signals map to 1);
 * never rejects on a non-zero exit, so callers decide what a failure means.
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: "inherit", ...opts, env: { ...process.env, ...opts.env } });
    child.on("error", (err) => {
      console.error(`failed to start ${cmd}: ${err.message}`);
      resolvePromise(127);
    });
    child.on("exit", (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

/** Run a command quietly and return { status, stdout } (status null when it could not start). */
export function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
  return { status: r.error ? null : r.status, stdout: (r.stdout ?? "").trim(), stderr: (r.stderr ?? "").trim() };
}

/**
 * Make pnpm PNPM_VERSION available. Returns the command prefix to invoke it: ["pnpm"] when the installed one (or a
 * fresh global install) has the right version, else ["npx", "-y", "pnpm@X"].
 */
export async function ensurePnpm() {
  const version = () => capture("pnpm", ["--version"]).stdout;
  if (version() === PNPM_VERSION) return ["pnpm"];
  step(`installing pnpm ${PNPM_VERSION} (found: ${version() || "none"})`);
  const code = await run("npm", ["install", "-g", `pnpm@${PNPM_VERSION}`, "--no-fund", "--no-audit"]);
  if (code === 0 && version() === PNPM_VERSION) return ["pnpm"];
  console.log(`global install did not give pnpm ${PNPM_VERSION} on PATH; falling back to npx`);
  const viaNpx = ["npx", "-y", `pnpm@${PNPM_VERSION}`];
  const check = capture(viaNpx[0], [...viaNpx.slice(1), "--version"]);
  if (check.stdout.split("\n").pop() !== PNPM_VERSION) {
    throw new Error(`could not obtain pnpm ${PNPM_VERSION} (npx said: ${check.stdout || check.stderr})`);
  }
  return viaNpx;
}

/** `pnpm install` with the pnpm 12 lockfile recipe (see shared/TOOLCHAIN.md). Resolves with the exit code. */
export function pnpmInstall(pnpm) {
  step("pnpm install --prefer-frozen-lockfile --trust-lockfile");
  return run(pnpm[0], [...pnpm.slice(1), "install", "--prefer-frozen-lockfile", "--trust-lockfile"]);
}

/** Workspace package.json files (root, packages/*, apps/*, runtime-tests), for staleness checks. */
function workspaceManifests() {
  const out = [join(ROOT, "package.json"), join(ROOT, "pnpm-workspace.yaml"), join(ROOT, "runtime-tests/package.json")];
  for (const dir of ["packages", "apps"]) {
    const base = join(ROOT, dir);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) out.push(join(base, name, "package.json"));
  }
  return out.filter((p) => existsSync(p));
}

/** True when node_modules is missing or older than the lockfile or any workspace manifest. */
export function installIsStale() {
  const marker = join(ROOT, "node_modules/.modules.yaml");
  if (!existsSync(marker)) return true;
  const installed = statSync(marker).mtimeMs;
  const inputs = [join(ROOT, "pnpm-lock.yaml"), ...workspaceManifests()].filter((p) => existsSync(p));
  return inputs.some((p) => statSync(p).mtimeMs > installed);
}

/** Path of a binary installed in the root node_modules/.bin. */
export function bin(name) {
  return join(ROOT, "node_modules/.bin", name);
}

/** Environment shared by every turbo invocation. */
export const TURBO_ENV = { TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
