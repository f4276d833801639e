// Two mcp-edge instances sharing sessions, streams and events through Redis (REDIS_URL), behind the
// workspace's round-robin proxy on $PORT: consecutive requests of one session land on different
// instances (strict rotation, no affinity). This process is the proxy; the instances are its
// children. Cores: the harness starts this process on the server core, so the instances inherit it;
// then, with BENCH_PROXY_CORE set, the proxy moves itself to that core (the load generator's: like a
// load balancer, it is infrastructure in front of the servers under test, not one of them). The
// harness charges the lane with its children's CPU (the instances) and reports the proxy's apart.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startRoundRobinProxy } from "../../test-support/src/round-robin-proxy.mjs";
import { freePort } from "../lib/proc.mjs";
import { HOST, lanePort, ready } from "./_lane.mjs";

const instanceFile = fileURLToPath(new URL("./ours-stateful-redis.mjs", import.meta.url));

/** One instance, the same server as the single-instance Redis lane; it exits when this process goes. */
function startInstance(port) {
  const child = spawn(process.execPath, [instanceFile], {
    env: { ...process.env, PORT: String(port), BENCH_EXIT_WITH_PARENT: "1" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes(`READY ${port}\n`)) resolve(child);
    });
    child.once("exit", (code, signal) => reject(new Error(`instance on ${port} exited (${code ?? signal})`)));
  });
}

const ports = [await freePort(), await freePort()];
const instances = await Promise.all(ports.map(startInstance));
const proxyCore = process.env.BENCH_PROXY_CORE;
if (proxyCore !== undefined) {
  // -a: every thread of this process (libuv's pool, V8's), not only the main one.
  const moved = spawnSync("taskset", ["-a", "-p", "-c", proxyCore, String(process.pid)], { stdio: "ignore" });
  if (moved.status !== 0) process.stderr.write(`ours-redis-pair: could not move the proxy to core ${proxyCore}\n`);
}
const port = lanePort();
const proxy = await startRoundRobinProxy(
  ports.map((p) => `http://${HOST}:${p}`),
  { port, host: HOST },
);
ready(port);

const stopAll = async () => {
  await proxy.stop();
  await Promise.all(
    instances.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", resolve);
          child.kill("SIGTERM");
        }),
    ),
  );
  process.exit(0);
};
process.once("SIGTERM", stopAll);
process.once("SIGINT", stopAll);
