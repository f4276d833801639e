// One lane, one round: start its server pinned to core 0, prove the answer, load it from a process
// pinned to core 1, and read the server's CPU time (its whole process tree) around the measured window;
// for Redis lanes also redis-server's command counts and CPU time over the same window.
import { fileURLToPath } from "node:url";
import { cpuMicros, freePort, pinning, spawnNode, startLane, stop, treeCpuMicros } from "./proc.mjs";
import { LOAD_REQUEST_ID, prove } from "./protocol.mjs";
import { delta, redisWatcher } from "./redis.mjs";

const lanesDir = fileURLToPath(new URL("../lanes/", import.meta.url));
const loadScript = fileURLToPath(new URL("./load.mjs", import.meta.url));
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

/**
 * Loads the lane and reads `probe()` (CPU times, Redis counters) just before and just after the
 * measured window; resolves with the load generator's counts plus both probes.
 */
function runLoad(config, probe) {
  return new Promise((resolve, reject) => {
    const child = spawnNode([loadScript, JSON.stringify(config)], { core: LOAD_CORE, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let before;
    let armed = false;
    let resultSeen = false;
    const read = async () => ({ load: cpuMicros(child.pid), ...(await probe()) });
    child.stdout.on("data", (d) => {
      out += d;
      if (!armed && out.includes("ARMED\n")) {
        armed = true;
        read().then((snapshot) => {
          before = snapshot;
          child.stdin.write("go\n");
        }, reject);
      }
      const lines = out.split("\n");
      const last = lines.length > 1 ? lines[lines.length - 2] : "";
      if (last.startsWith("{") && before !== undefined && !resultSeen) {
        resultSeen = true;
        const result = JSON.parse(last);
        read().then((after) => {
          child.stdin.end();
          resolve({ ...result, before, after });
        }, reject);
      }
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (!resultSeen) reject(new Error(`load generator exited ${code}: ${err.slice(-1500)}`));
    });
  });
}

const diff = (a, b) => (a !== undefined && b !== undefined ? b - a : undefined);
const perRequest = (micros, requests) => (micros !== undefined && requests > 0 ? micros / requests : undefined);

/**
 * Resolves to { status: "ok", rps, cpuPerRequestMicros, ... } or { status: "wrong" | "failed", reason }.
 * A lane that answers wrongly is reported and not timed.
 */
export async function laneRound(lane, { warmupSec, durationSec, amount, connections, nodeArgs, stopGraceMs, redis }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  let server;
  try {
    // A lane's front process (the pair lane's proxy) moves to the load generator's core.
    const env = lane.front && pinning === "taskset" ? { ...lane.env, BENCH_PROXY_CORE: String(LOAD_CORE) } : lane.env;
    server = await startLane(`${lanesDir}${lane.file}`, { port, core: SERVER_CORE, env, nodeArgs });
    // A refused or reset connection is retried once; a wrong answer never is.
    const proof = await prove(url, lane).catch(async (error) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return prove(url, lane).catch((again) => {
        again.message = `${again.message} (also on the first try: ${error.cause?.code ?? error.message})`;
        throw again;
      });
    });
    if (!proof.ok) {
      return { status: "wrong", reason: proof.problems.join("; "), sample: proof.sample };
    }
    // Redis lanes: what redis-server executed and spent over the same window (it runs outside the lane).
    const watcher = lane.needs === "redis" && redis ? await redisWatcher(redis.url, redis.pid) : undefined;
    let load;
    try {
      load = await runLoad(
        {
          url,
          headers: proof.headers,
          body: proof.body,
          requestId: LOAD_REQUEST_ID,
          connections,
          warmupSec,
          durationSec,
          amount,
        },
        async () => ({ server: treeCpuMicros(server.pid), redis: await watcher?.snapshot() }),
      );
    } finally {
      await watcher?.close();
    }
    const elapsedMicros = load.elapsedMs * 1000;
    const tree = (part) => diff(load.before.server?.[part], load.after.server?.[part]);
    // A lane whose own process only fronts others (the pair lane's proxy) is charged for its children.
    const serverCpu = lane.cpu === "descendants" ? tree("descendants") : tree("total");
    const result = {
      status: "ok",
      framing: proof.framing,
      requests: load.ok,
      non2xx: load.non2xx,
      errors: load.errors,
      timeouts: load.timeouts,
      rps: load.rps,
      latencyP50: load.latencyP50,
      latencyP99: load.latencyP99,
      cpuPerRequestMicros: perRequest(serverCpu, load.ok),
      serverBusy: serverCpu !== undefined ? serverCpu / elapsedMicros : undefined,
      loadBusy: diff(load.before.load, load.after.load) / elapsedMicros || undefined,
    };
    if (lane.cpu === "descendants") {
      result.frontCpuPerRequestMicros = perRequest(tree("self"), load.ok);
      result.frontBusy = tree("self") !== undefined ? tree("self") / elapsedMicros : undefined;
    }
    if (watcher) {
      const redisDelta = delta(load.before.redis, load.after.redis);
      result.redis = {
        commandsPerRequest: redisDelta.total / load.ok,
        byCommand: Object.fromEntries(
          Object.entries(redisDelta.byCommand).map(([name, count]) => [name, count / load.ok]),
        ),
        readsPerRequest: perRequest(redisDelta.reads, load.ok),
        cpuPerRequestMicros: perRequest(redisDelta.cpuMicros, load.ok),
        busy: redisDelta.cpuMicros !== undefined ? redisDelta.cpuMicros / elapsedMicros : undefined,
      };
    }
    if (load.non2xx > 0 || load.errors > 0 || load.timeouts > 0 || load.ok === 0) {
      return {
        ...result,
        status: "failed",
        reason: `under load: ${load.ok} ok, ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts`,
      };
    }
    return result;
  } catch (error) {
    const cause = error.cause ? ` (${error.cause.code ?? ""} ${error.cause.message ?? error.cause})` : "";
    return { status: "failed", reason: `${error.message}${cause}`.slice(0, 1500) };
  } finally {
    if (server) await stop(server.child, stopGraceMs);
  }
}
