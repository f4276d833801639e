// Packs every publishable package of the workspace into one folder, as a user would receive them.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Plain `npm pack`, as a user or a registry sees the packages: their ranges on each other are plain
 * semver (the workspace links them through `linkWorkspacePackages`), so nothing needs rewriting.
 */
export const PACK_COMMAND = ["npm", "pack", "--pack-destination"];

/** name -> folder of every package that is published (not private), read from packages/. */
export function publishedPackages() {
  const packages = new Map();
  for (const entry of readdirSync(join(ROOT, "packages"), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(ROOT, "packages", entry.name);
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (pkg.private !== true) packages.set(pkg.name, dir);
  }
  return packages;
}

/** Packs the built packages into `dest`; resolves name -> tarball path. Build first (`pnpm build`). */
export function packAll(dest) {
  const tarballs = new Map();
  const [command, ...args] = PACK_COMMAND;
  for (const [name, dir] of publishedPackages()) {
    const before = new Set(readdirSync(dest));
    execFileSync(command, [...args, dest], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    const made = readdirSync(dest).filter((file) => file.endsWith(".tgz") && !before.has(file));
    if (made.length !== 1) throw new Error(`packing ${name} made ${made.length} tarballs`);
    tarballs.set(name, join(dest, made[0]));
  }
  return tarballs;
}

/** The kit's packages a generated project needs installed from tarballs: its own and what they depend on. */
export function tarballsFor(projectDir, tarballs) {
  const pkg = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8"));
  const wanted = new Set(Object.keys({ ...pkg.dependencies }).filter((name) => name.startsWith("@mcp-edge/")));
  // Internal dependencies of the kit (the storage packages share @mcp-edge/redis-kit).
  for (const name of ["@mcp-edge/cloudflare", "@mcp-edge/redis", "@mcp-edge/upstash", "@mcp-edge/deno-kv"]) {
    if (wanted.has(name)) wanted.add("@mcp-edge/redis-kit");
  }
  wanted.add("@mcp-edge/core");
  return [...wanted].map((name) => {
    const tarball = tarballs.get(name);
    if (tarball === undefined) throw new Error(`no tarball for ${name}`);
    return tarball;
  });
}
