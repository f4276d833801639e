// One lane, one round: start its server pinned to core 0, prove the answer, load it from a process
// pinned to core 1, and read the server's CPU time around the measured window.
import { fileURLToPath } from "node:url";
import { cpuMicros, freePort, spawnNode, startLane, stop } from "./proc.mjs";
import { prove } from "./protocol.mjs";

const lanesDir = fileURLToPath(new URL("../lanes/", import.meta.url));
const loadScript = fileURLToPath(new URL("./load.mjs", import.meta.url));
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

function runLoad(config, serverPid) {
  return new Promise((resolve, reject) => {
    const child = spawnNode([loadScript, JSON.stringify(config)], { core: LOAD_CORE, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let serverCpu0;
    let loadCpu0;
    let armedAt;
    child.stdout.on("data", (d) => {
      out += d;
      if (armedAt === undefined && out.includes("ARMED\n")) {
        armedAt = performance.now();
        serverCpu0 = cpuMicros(serverPid);
        loadCpu0 = cpuMicros(child.pid);
        child.stdin.write("go\n");
      }
      const lines = out.split("\n");
      const last = lines.length > 1 ? lines[lines.length - 2] : "";
      if (last.startsWith("{") && serverCpu0 !== undefined && !child.resultSeen) {
        child.resultSeen = true;
        const serverCpu1 = cpuMicros(serverPid);
        const loadCpu1 = cpuMicros(child.pid);
        const result = JSON.parse(last);
        result.serverCpuMicros = serverCpu1 !== undefined ? serverCpu1 - serverCpu0 : undefined;
        result.loadCpuMicros = loadCpu1 !== undefined ? loadCpu1 - loadCpu0 : undefined;
        child.stdin.end();
        resolve(result);
      }
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (!child.resultSeen) reject(new Error(`load generator exited ${code}: ${err.slice(-1500)}`));
    });
  });
}

/**
 * Resolves to { status: "ok", rps, cpuPerRequestMicros, ... } or { status: "wrong" | "failed", reason }.
 * A lane that answers wrongly is reported and not timed.
 */
export async function laneRound(lane, { warmupSec, durationSec, amount, connections, nodeArgs, stopGraceMs }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/mcp`;
  let server;
  try {
    server = await startLane(`${lanesDir}${lane.file}`, { port, core: SERVER_CORE, env: lane.env, nodeArgs });
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
    const load = await runLoad(
      { url, headers: proof.headers, body: proof.body, connections, warmupSec, durationSec, amount },
      server.pid,
    );
    const elapsedMicros = load.elapsedMs * 1000;
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
      cpuPerRequestMicros:
        load.serverCpuMicros !== undefined && load.ok > 0 ? load.serverCpuMicros / load.ok : undefined,
      serverBusy: load.serverCpuMicros !== undefined ? load.serverCpuMicros / elapsedMicros : undefined,
      loadBusy: load.loadCpuMicros !== undefined ? load.loadCpuMicros / elapsedMicros : undefined,
    };
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
