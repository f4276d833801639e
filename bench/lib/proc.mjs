// Child processes pinned to a core, and their CPU time from /proc.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { connect, createServer } from "node:net";

const hasTaskset = spawnSync("taskset", ["-V"], { stdio: "ignore" }).status === 0;
export const pinning = hasTaskset ? "taskset" : "none";

let clockTicks;
/** Kernel clock ticks per second (utime/stime unit), usually 100. */
export function clkTck() {
  if (clockTicks === undefined) {
    const out = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
    clockTicks = Number(out.stdout?.trim()) || 100;
  }
  return clockTicks;
}

/** Live child pids of `pid`, from /proc (the parent pid is field 4 of /proc/<pid>/stat). */
function childrenOf(pid) {
  const children = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {}
  }
  return children;
}

/** CPU time (user + system) in microseconds of one process, or undefined where /proc is missing. */
export function cpuMicros(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / clkTck();
}

/**
 * CPU time of a lane's process tree: `self` (the process the harness started) and `descendants`
 * (its live children and theirs, e.g. the two instances behind the pair lane's proxy), in
 * microseconds; undefined where /proc is missing. A child that exits mid-window drops out of the sum,
 * so lanes keep their children alive for the whole run.
 */
export function treeCpuMicros(pid) {
  const self = cpuMicros(pid);
  if (self === undefined) return undefined;
  let descendants = 0;
  const queue = childrenOf(pid);
  while (queue.length) {
    const child = queue.pop();
    descendants += cpuMicros(child) ?? 0;
    queue.push(...childrenOf(child));
  }
  return { self, descendants, total: self + descendants };
}

/** A free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `node ...args`, pinned to `core` when taskset exists (taskset execs, so the pid is node's). */
export function spawnNode(args, { core, env, cwd, stdio = ["ignore", "pipe", "pipe"] } = {}) {
  const node = process.execPath;
  const [cmd, argv] =
    hasTaskset && core !== undefined ? ["taskset", ["-c", String(core), node, ...args]] : [node, args];
  return spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio });
}

/** Runs a node script to completion and parses the last stdout line as JSON. */
export function runNodeJson(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnNode(args, options);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").pop();
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last));
      } catch (error) {
        reject(new Error(`${args.join(" ")} failed (${error.message}): ${err.slice(-2000) || out.slice(-2000)}`));
      }
    });
  });
}

/** Resolves once something accepts TCP connections on the loopback port (some servers say "listening" early). */
async function waitForPort(port, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing accepts connections on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts a lane server and resolves once it prints `READY <port>` and accepts connections. */
export function startLane(file, { port, core, env, nodeArgs = [], timeoutMs = 30_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawnNode([...nodeArgs, file], { core, env: { ...env, PORT: String(port) } });
    let out = "";
    let err = "";
    let done = false;
    let waiting = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        child.kill("SIGKILL");
        reject(error);
      } else resolve({ child, pid: child.pid, stderr: () => err });
    };
    const timer = setTimeout(
      () => finish(new Error(`no READY within ${timeoutMs} ms: ${err.slice(-1500)}`)),
      timeoutMs,
    );
    child.stdout.on("data", (d) => {
      if (done) return; // keep draining so the child never blocks on a full pipe
      out += d;
      if (/^READY \d+$/m.test(out) && !waiting) {
        waiting = true;
        waitForPort(port).then(() => finish(), finish);
      }
    });
    child.stderr.on("data", (d) => {
      if (err.length < 20_000) err += d;
    });
    child.on("error", finish);
    child.on("exit", (code, signal) =>
      finish(new Error(`exited (${code ?? signal}) before READY: ${err.slice(-1500)}`)),
    );
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stop(child, graceMs = 3000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
