export interface UpstashBridgeOptions {
  /** The redis-server to serve, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Clients must send `Authorization: Bearer <token>` (or `?_token=<token>`). */
  token: string;
  /** Interface to listen on. Default `127.0.0.1`: a development tool should not be reachable from the network. */
  host?: string;
  /** Default 0: the OS picks a free port (read it from `bridge.port`). */
  port?: number;
  /** Largest request body accepted; larger ones get 413. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Interval of `: keepalive` comments on subscribe streams, so idle proxies keep them open. Default 15 s; 0 disables. */
  keepAliveMs?: number;
  /**
   * Receives Redis connection errors. Default: the first error of each outage is logged with
   * `console.warn`; requests meanwhile get 503.
   */
  onError?: (error: unknown) => void;
}

export interface UpstashBridge {
  /** `http://<host>:<port>`: what `@upstash/redis` takes as `url`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops listening, ends open subscribe streams and closes the Redis connections. Idempotent. */
  close(): Promise<void>;
}
