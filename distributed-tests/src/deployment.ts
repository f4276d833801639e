/**
 * The distributed pattern for real: one shared store, N example server processes sharing it (stateful,
 * different instance ids), and a round-robin proxy on loopback in front of them that rotates on every request.
 */
import {
  type ExampleServer,
  type RoundRobinProxy,
  startExampleServer,
  startRoundRobinProxy,
} from "@mcp-edge/test-support";
import { type Backend, type BackendOptions, type RunningBackend, uniquePrefix } from "./backends.js";

export interface Deployment {
  readonly backend: RunningBackend;
  readonly instances: ExampleServer[];
  readonly proxy: RoundRobinProxy;
  /** The MCP endpoint behind the proxy. */
  readonly url: string;
  /** The store's key prefix (every instance uses it). */
  readonly prefix: string;
  /** Environment every instance was started with. */
  readonly env: Record<string, string>;
  /** Stops the proxy, every instance (process groups) and the store. Idempotent. */
  stop(): Promise<void>;
}

export interface DeploymentOptions extends BackendOptions {
  /** How many server processes (default 2). */
  instances?: number;
  /** For the store's key prefix, so concurrent deployments never share keys or channels. */
  label: string;
  /** More settings for every instance (the example server reads its settings from the environment). */
  env?: Record<string, string>;
}

export const INSTANCE_IDS = ["a", "b", "c", "d"];

export async function startDeployment(backend: Backend, options: DeploymentOptions): Promise<Deployment> {
  const running = await backend.start(options);
  const prefix = uniquePrefix(`${options.label}:${backend.name}`);
  const env = { MCP_MODE: "stateful", ...options.env, ...running.env(prefix) };
  const instances: ExampleServer[] = [];
  let proxy: RoundRobinProxy | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await proxy?.stop();
      // SIGKILL: a test's deployment has nothing to drain, and the process group goes with it.
      await Promise.all(instances.map((instance) => instance.kill()));
      await running.close();
    })();
    return stopped;
  };
  try {
    const count = options.instances ?? 2;
    const started = await Promise.allSettled(
      Array.from({ length: count }, (_, i) =>
        startExampleServer({ env: { ...env, MCP_INSTANCE_ID: INSTANCE_IDS[i] ?? `i${i}` } }),
      ),
    );
    for (const result of started) if (result.status === "fulfilled") instances.push(result.value);
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    proxy = await startRoundRobinProxy(instances.map((instance) => instance.origin));
  } catch (error) {
    await stop();
    throw error;
  }
  return { backend: running, instances, proxy, url: `${proxy.url}/mcp`, prefix, env, stop };
}
