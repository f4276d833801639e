import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly host: "127.0.0.1";
  readonly port: number;
  /**
   * Kills the server (SIGKILL, so clients see an abrupt loss, as in a crash). Idempotent. A persistent
   * server keeps its data for `restart()`; `destroy()` removes it.
   */
  stop(): Promise<void>;
  /** Kills the server if it runs and removes its data for good. Idempotent. */
  destroy(): Promise<void>;
  /**
   * Starts it again on the same port and waits until it answers PING: empty, unless the server was
   * started with `persistent: true`, in which case every write acknowledged before the stop is back.
   */
  restart(): Promise<void>;
}

export interface RedisServerOptions {
  /** The port to listen on (e.g. one a client was already pointed at). Default: a free one. */
  port?: number;
  /**
   * Keep the data across `stop()` + `restart()` as a production Redis would: an append-only file
   * synced on every write (`--appendonly yes --appendfsync always`), so even a SIGKILL loses nothing
   * Redis acknowledged. Default false: no persistence at all.
   */
  persistent?: boolean;
}

/** A port nobody listens on right now (the OS picks it), on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("could not obtain a free port"))));
    });
  });
}

const SEARCH_PATH = ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin"];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function findRedisServer(): string | undefined {
  const override = process.env.REDIS_SERVER_BIN;
  if (override) return isExecutable(override) ? override : undefined;
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const candidate = join(dir, "redis-server");
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Test files run in parallel workers, and two concurrent apt-get runs fail on dpkg's lock, so the
 * install is serialised across processes with a lock directory (mkdir is atomic). A lock left by a
 * dead process is taken over once its owner's pid is gone.
 */
async function withInstallLock<T>(work: () => T): Promise<T> {
  const lock = join(tmpdir(), "mcp-edge-redis-install.lock");
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!lockOwnerAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await sleep(200);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockOwnerAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    // The owner has created the directory but not yet written its pid: give it time.
    return true;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let installAttempted: Promise<string> | undefined;

/** The redis-server binary, installed from the distribution's packages the first time it is missing. */
export function ensureRedisServer(): Promise<string> {
  const found = findRedisServer();
  if (found) return Promise.resolve(found);
  installAttempted ??= withInstallLock(() => {
    // Another worker may have installed it while this one waited for the lock.
    const already = findRedisServer();
    if (already) return already;
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const log: string[] = [];
    try {
      log.push(execFileSync("apt-get", ["update"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
      log.push(
        execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "redis-server"], {
          env,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new Error(
        `redis-server is not installed and installing it failed (apt-get update && apt-get install -y redis-server): ${detail}\n` +
          "Install redis-server (>= 6.2) yourself, or point REDIS_SERVER_BIN at its binary.",
      );
    }
    const installed = findRedisServer();
    if (!installed) {
      throw new Error(
        `apt-get installed redis-server but no binary was found on PATH:\n${log.join("\n").slice(-2_000)}`,
      );
    }
    return installed;
  });
  return installAttempted;
}

/**
 * The child is a small shell that starts redis-server and watches its own stdin: when the test
 * process dies in any way (even SIGKILL, which runs no exit handler), the pipe closes and the shell
 * kills redis-server and removes its directory, so nothing outlives the test run. `stop()` closes
 * the same pipe.
 */
const WRAPPER = [
  "exec 3<&0",
  '"$0" "$@" 3<&- </dev/null &',
  "pid=$!",
  // A `keep` marker (a restart of a persistent server) spares the data directory.
  '( read -r _ <&3; kill -9 "$pid" 2>/dev/null; [ -e "$MCP_EDGE_REDIS_DIR.keep" ] || rm -rf "$MCP_EDGE_REDIS_DIR" ) &',
  'wait "$pid"',
].join("\n");

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

function launch(binary: string, port: number, dir: string, persistent: boolean): Running {
  const persistence = persistent
    ? ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--appenddirname", "aof"]
    : ["--save", "", "--appendonly", "no"];
  const args = [
    "--bind",
    "127.0.0.1",
    "--port",
    String(port),
    ...persistence,
    "--daemonize",
    "no",
    "--dir",
    dir,
    "--logfile",
    "",
  ];
  const child = spawn("sh", ["-c", WRAPPER, binary, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, MCP_EDGE_REDIS_DIR: dir },
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-8_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // The test process must be free to exit while a server runs; the stdin pipe then takes it down.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      child.stdin?.destroy();
      resolve(code);
    });
  });
  return { child, exited, output: () => output };
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

/** Waits until the server answers PING; fails with its log when it exits first (e.g. port taken). */
async function waitUntilReady(running: Running, port: number): Promise<void> {
  let exitCode: number | null | undefined;
  void running.exited.then((code) => {
    exitCode = code;
  });
  // A generous limit only for a server that never comes up; a healthy one answers in milliseconds.
  const giveUpAt = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`redis-server exited (code ${exitCode}) before answering PING:\n${running.output()}`);
    }
    if (await ping(port)) return;
    if (Date.now() > giveUpAt) {
      running.child.stdin?.end();
      throw new Error(`redis-server did not answer PING on port ${port}:\n${running.output()}`);
    }
    await sleep(20);
  }
}

async function stopRunning(running: Running): Promise<void> {
  // Hold the event loop open until the server is gone: an idle server is unref'd (see launch).
  running.child.ref();
  running.child.stdin?.end();
  await running.exited;
}

/** Data kept between a persistent server's stop() and restart(): removed when this process exits, at the latest. */
const keptDirs = new Set<string>();
process.once("exit", () => {
  for (const dir of keptDirs) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.keep`, { force: true });
  }
});

/**
 * Starts a private redis-server on 127.0.0.1 (not daemonised, its own temp dir; no persistence unless
 * `persistent`) and resolves once it answers PING. Installs redis-server first when it is missing.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = await ensureRedisServer();
  const persistent = options.persistent ?? false;
  let current: { running: Running; dir: string } | undefined;
  // A persistent server keeps one data directory across restarts.
  let keptDir: string | undefined;

  const launchIn = async (port: number) => {
    const dir = keptDir ?? (await mkdtemp(join(tmpdir(), "mcp-edge-redis-")));
    const running = launch(binary, port, dir, persistent);
    try {
      await waitUntilReady(running, port);
    } catch (error) {
      await stopRunning(running);
      if (keptDir === undefined) await rm(dir, { recursive: true, force: true });
      throw error;
    }
    rmSync(`${dir}.keep`, { force: true });
    return { running, dir };
  };

  let port = options.port ?? 0;
  // Another process may grab a free port between the probe and redis-server's bind: try anew (unless the
  // caller chose the port).
  for (let attempt = 1; !current; attempt++) {
    if (options.port === undefined) port = await freePort();
    try {
      current = await launchIn(port);
    } catch (error) {
      if (attempt >= 3 || options.port !== undefined) throw error;
    }
  }

  // No exit hook is needed: when this process ends, however it ends, the wrapper's stdin closes
  // and the wrapper kills redis-server and removes its directory (see WRAPPER).

  const halt = async (keep: boolean) => {
    const was = current;
    current = undefined;
    if (!was) return;
    if (keep) writeFileSync(`${was.dir}.keep`, "");
    await stopRunning(was.running);
    if (keep) {
      keptDir = was.dir;
      keptDirs.add(was.dir);
    } else {
      keptDir = undefined;
      await rm(was.dir, { recursive: true, force: true });
      rmSync(`${was.dir}.keep`, { force: true });
    }
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    stop: () => halt(persistent),
    async destroy() {
      await halt(false);
      const dir = keptDir;
      keptDir = undefined;
      if (dir !== undefined) {
        keptDirs.delete(dir);
        await rm(dir, { recursive: true, force: true });
        rmSync(`${dir}.keep`, { force: true });
      }
    },
    async restart() {
      await halt(persistent);
      // The port was just released; binding it again can briefly fail while the kernel tears the
      // old listener down, so retry a few times before giving up.
      let lastError: unknown;
      for (let attempt = 0; attempt < 10; attempt++) {
        try {
          current = await launchIn(port);
          return;
        } catch (error) {
          lastError = error;
          await sleep(100);
        }
      }
      throw lastError;
    },
  };
}
