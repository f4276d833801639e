// Redis for the Redis parts of the bench (the two Redis lanes, the store cost, fan-out via Redis).
// REDIS_URL when given; otherwise a private redis-server that this run starts and stops: the
// workspace's own `startRedisServer` (test-support: loopback, a free port, no persistence, installed
// from apt when missing, killed with the run however it ends). test-support is TypeScript and Node 20
// does not run TypeScript, so its file is transpiled with esbuild (a bench dependency) first.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createClient } from "redis";
import { cpuMicros } from "./proc.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const outDir = fileURLToPath(new URL("../.out/test-support/", import.meta.url));

/** test-support's redis-server.ts as an importable module. */
async function loadStartRedisServer() {
  const { transform } = await import("esbuild");
  const source = `${repo}test-support/src/redis-server.ts`;
  const { code } = await transform(readFileSync(source, "utf8"), { loader: "ts", format: "esm", target: "node20" });
  mkdirSync(outDir, { recursive: true });
  const file = `${outDir}redis-server.mjs`;
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)).startRedisServer;
}

/**
 * The Redis this run uses: `{ url, source, pid?, stop() }`, or `{ unavailable: reason }` when there is
 * no REDIS_URL and no redis-server could be installed or started.
 */
export async function resolveRedis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: "REDIS_URL", stop: async () => {} };
  let server;
  try {
    const startRedisServer = await loadStartRedisServer();
    server = await startRedisServer();
  } catch (error) {
    return { unavailable: `REDIS_URL is not set and no private redis-server could be started: ${error.message}` };
  }
  const info = await redisInfo(server.url, "server").catch(() => ({}));
  return {
    url: server.url,
    source: `a private redis-server ${info.redis_version ?? ""} started by this run`,
    pid: Number(info.process_id) || undefined,
    stop: () => server.destroy(),
  };
}

/** Moves a local process to one core (redis-server started by this run), when taskset exists. */
export function pinProcess(pid, core) {
  if (!pid || !existsSync(`/proc/${pid}`)) return false;
  return spawnSync("taskset", ["-a", "-p", "-c", String(core), String(pid)], { stdio: "ignore" }).status === 0;
}

/**
 * A node-redis client pair (commands + pub/sub), connected, configured as @mcp-edge/redis recommends
 * (no offline queue). `pubSubUrl` lets a caller route the pub/sub connection elsewhere (a counting relay).
 */
export async function connectRedis(url, { pubSubUrl = url } = {}) {
  const client = createClient({ url, disableOfflineQueue: true });
  client.on("error", () => {});
  const pubSubClient = createClient({ url: pubSubUrl, disableOfflineQueue: true });
  pubSubClient.on("error", () => {});
  await Promise.all([client.connect(), pubSubClient.connect()]);
  return { client, pubSubClient, close: () => Promise.all([client.quit(), pubSubClient.quit()]) };
}

/** `INFO <section>` as an object of fields. */
export async function redisInfo(url, section) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on("error", () => {});
  await client.connect();
  try {
    return parseInfo(await client.info(section));
  } finally {
    await client.quit();
  }
}

export function parseInfo(text) {
  const fields = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

/**
 * Commands redis-server executed so far, from `INFO commandstats`, by command name (lower case),
 * without the INFO commands themselves (the measurement's own).
 */
export function commandCounts(info) {
  const counts = {};
  for (const [key, value] of Object.entries(info)) {
    const name = key.startsWith("cmdstat_") ? key.slice(8) : undefined;
    if (!name || name === "info") continue;
    const calls = /calls=(\d+)/.exec(value);
    if (calls) counts[name] = Number(calls[1]);
  }
  return counts;
}

/**
 * A watcher of one Redis: `snapshot()` returns its command counts, the client reads it processed (one
 * per batch a client sent: round trips as Redis sees them) and, for a local server, its CPU time.
 * Each snapshot is one INFO command, i.e. one read, which `delta` takes off again.
 */
export async function redisWatcher(url, pid) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on("error", () => {});
  await client.connect();
  return {
    async snapshot() {
      const info = parseInfo(String(await client.sendCommand(["INFO", "stats", "commandstats"])));
      const reads = Number(info.total_reads_processed);
      return { counts: commandCounts(info), reads, cpuMicros: pid ? cpuMicros(pid) : undefined };
    },
    close: () => client.quit(),
  };
}

/** What changed between two snapshots: total commands, the commands by name, client reads, and CPU. */
export function delta(before, after) {
  const byCommand = {};
  let total = 0;
  for (const [name, count] of Object.entries(after.counts)) {
    const d = count - (before.counts[name] ?? 0);
    if (d > 0) {
      byCommand[name] = d;
      total += d;
    }
  }
  const cpu =
    before.cpuMicros !== undefined && after.cpuMicros !== undefined ? after.cpuMicros - before.cpuMicros : undefined;
  // The later snapshot's own INFO is one read of the window.
  const reads = Number.isFinite(after.reads - before.reads) ? after.reads - before.reads - 1 : undefined;
  return { total, byCommand, reads, cpuMicros: cpu };
}
