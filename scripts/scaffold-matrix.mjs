// Every platform and session store create-mcp-edge offers, as a user gets them: packs the built
// packages, generates each project with the packed create-mcp-edge, installs it with plain npm outside
// the workspace, serves it on loopback with the platform's local runtime and drives it with the official
// SDK v1 client. Prints one Markdown table row per combination (recorded in packaging/README.md).
//   pnpm build && node scripts/scaffold-matrix.mjs [platform...]
// Needs the npm registry, redis-server on PATH, and the workspace's deno, bun and wrangler.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drive } from "../packaging/src/drive.mjs";
import { endpointPaths, freePort, generate, install, start } from "../packaging/src/project.mjs";
import { packAll, ROOT, tarballsFor } from "../packaging/src/tarballs.mjs";

const { PLATFORMS, storesFor } = await import(join(ROOT, "packages/create-mcp-edge/dist/platforms.js"));
const { startUpstashBridge } = await import(join(ROOT, "packages/upstash-bridge/dist/index.js"));

/** Sessions are served where the local run holds them: in memory on Node and Bun, or in the store. */
function expectsSessions(platform, store) {
  return store !== "none" || platform === "node" || platform === "bun";
}

async function startRedis(dir) {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", dir],
    {
      stdio: "ignore",
    },
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const { createConnection } = await import("node:net");
      await new Promise((resolve, reject) => {
        const socket = createConnection(port, "127.0.0.1", () => socket.end(resolve));
        socket.once("error", reject);
      });
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill("SIGKILL") };
}

const only = process.argv.slice(2);
const scratch = mkdtempSync(join(tmpdir(), "mcp-edge-scaffold-matrix-"));
const dest = join(scratch, "tarballs");
mkdirSync(dest);
const tarballs = packAll(dest);
const redis = await startRedis(scratch);
const bridge = await startUpstashBridge({ redisUrl: redis.url, token: "scaffold-token" });
const STORE_ENV = {
  redis: { REDIS_URL: redis.url },
  upstash: { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: "scaffold-token" },
  "deno-kv": { DENO_KV_PATH: ":memory:" },
};

const rows = [];
let failed = 0;
try {
  for (const platform of PLATFORMS) {
    if (only.length > 0 && !only.includes(platform)) continue;
    for (const store of storesFor(platform)) {
      const dir = join(scratch, `${platform}-${store}`);
      const sessions = expectsSessions(platform, store);
      let outcome;
      try {
        await generate({ createTarball: tarballs.get("create-mcp-edge"), platform, store, dir });
        // Dev dependencies hold the local runs' bundlers and runtimes (tsc, esbuild, lambda-local, edge-runtime).
        const dev = platform === "node" || platform === "lambda" || platform === "vercel";
        await install(dir, tarballsFor(dir, tarballs), { dev });
        const server = await start(platform, dir, STORE_ENV[store] ?? {}, { lambdaStream: store !== "none" });
        if (server === undefined) {
          outcome = "generated, installed; not served (no local runtime without a login)";
        } else {
          try {
            const paths = endpointPaths(platform, store);
            for (const path of paths) {
              const seen = await drive(new URL(path, server.url).href, { sessions });
              const ok = seen.sum === "5" && seen.progress.length === 2 && (!sessions || seen.announced.length > 0);
              if (!ok) throw new Error(`${path}: unexpected answers: ${JSON.stringify(seen)}`);
            }
            const served = paths.length > 1 ? `served at ${paths.join(" and ")}` : "served";
            outcome = sessions
              ? `${served}; initialize, tools/call with progress, GET-stream notification`
              : `${served}; initialize, tools/call with progress (stateless)`;
          } finally {
            await server.stop();
          }
        }
      } catch (error) {
        failed++;
        outcome = `FAILED: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`;
      }
      const row = `| ${platform} | ${store} | ${outcome} |`;
      rows.push(row);
      console.log(row);
    }
  }
} finally {
  await bridge.close();
  redis.stop();
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`\n| platform | store | result |\n|---|---|---|\n${rows.join("\n")}`);
console.log(`\n${rows.length - failed} passed, ${failed} failed`);
// Keep-alive sockets of the clients used above would hold the process open for minutes.
process.exit(failed > 0 ? 1 : 0);
