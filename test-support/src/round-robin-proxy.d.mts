// Types for round-robin-proxy.mjs (plain JavaScript so its CLI runs without a build).

/** The response header naming the target that answered. */
export const UPSTREAM_HEADER: "x-round-robin-upstream";

export interface RoundRobinProxyOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Called for every request as it is assigned a target. */
  onRequest?: (info: { method: string; url: string; target: string; index: number }) => void;
}

export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>` (no path: append the MCP endpoint, e.g. `/mcp`). */
  readonly url: string;
  readonly port: number;
  /** The targets' origins, in rotation order. */
  readonly targets: string[];
  /** Requests forwarded so far, in total. */
  readonly served: number;
  /** Requests forwarded so far to each target, in target order. */
  counts(): number[];
  /** The origin the next request goes to (undefined when every target is out of rotation). */
  readonly nextTarget: string | undefined;
  /**
   * Takes a target (an origin, as given) out of rotation with `false`, as a load balancer's health check does
   * once an instance is gone, or puts it back with `true`. Requests under way are not touched; with every
   * target out, the proxy answers 503.
   */
  setHealthy(target: string, healthy: boolean): void;
  /** Stops listening and cuts every open connection, SSE streams included. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A reverse proxy on loopback that sends each incoming request to the next of `targets` in strict rotation,
 * streaming bodies both ways without buffering and passing client disconnects on to the target.
 */
export function startRoundRobinProxy(targets: string[], options?: RoundRobinProxyOptions): Promise<RoundRobinProxy>;
