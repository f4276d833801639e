import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { RestApi } from "./http.js";
import type { UpstashBridge, UpstashBridgeOptions } from "./options.js";
import { makeClient, type RedisLink } from "./redis-link.js";

export type { UpstashBridge, UpstashBridgeOptions } from "./options.js";

/**
 * The Upstash REST protocol on top of a real redis-server, as `@upstash/redis` speaks it: single
 * commands (`POST /` with a JSON array), `POST /pipeline`, `POST /multi-exec` (a real MULTI/EXEC),
 * path-style commands (`GET /set/key/value`, as in Upstash's curl examples), base64 and plain
 * JSON replies, and pub/sub as server-sent events (`POST /subscribe/<channel>`, `/psubscribe/<pattern>`).
 */
export async function startUpstashBridge(options: UpstashBridgeOptions): Promise<UpstashBridge> {
  if (!options.token) throw new TypeError("startUpstashBridge: a non-empty token is required");
  const bridge = new Bridge(options);
  await bridge.start();
  return bridge;
}

class Bridge implements UpstashBridge {
  readonly #options: UpstashBridgeOptions;
  readonly #redis: RedisLink;
  readonly #api: RestApi;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #closed: Promise<void> | undefined;
  #reported = false;
  host = "127.0.0.1";
  port = 0;

  constructor(options: UpstashBridgeOptions) {
    this.#options = options;
    this.#redis = makeClient(options.redisUrl, true);
    this.#api = new RestApi(options, this.#redis);
    this.#redis.on("ready", () => {
      this.#reported = false;
    });
    // An EventEmitter with no 'error' listener crashes the process; an outage must only mean 503s.
    this.#redis.on("error", (error: unknown) => this.#report(error));
    this.#server = createServer((req, res) => {
      this.#api.handle(req, res).catch((error: unknown) => {
        this.#report(error);
        if (!res.headersSent) this.#api.json(res, 500, { error: "ERR internal bridge error" });
        else res.destroy();
      });
    });
    this.#server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://${this.host.includes(":") ? `[${this.host}]` : this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    // Wait for the first connection attempt to settle either way: reachable, requests work at once;
    // not reachable, the bridge still starts, answers 503, and connects when Redis comes up.
    const settled = new Promise<void>((resolve) => {
      this.#redis.once("ready", resolve);
      this.#redis.once("error", () => resolve());
    });
    this.#redis.connect().catch((error: unknown) => this.#report(error));
    await settled;
    try {
      await new Promise<void>((resolve, reject) => {
        this.#server.once("error", reject);
        this.#server.listen(this.#options.port ?? 0, this.#options.host ?? "127.0.0.1", () => {
          this.#server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      // The port is taken (or the host invalid): nobody gets a handle to close, so let nothing linger.
      this.#redis.destroy();
      throw error;
    }
    const address = this.#server.address() as AddressInfo;
    this.host = address.address;
    this.port = address.port;
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#api.endStreams();
      for (const socket of this.#sockets) socket.destroy();
      await stopped;
      this.#redis.destroy();
    })();
    return this.#closed;
  }

  #report(error: unknown): void {
    if (this.#options.onError) {
      this.#options.onError(error);
      return;
    }
    if (this.#reported) return;
    this.#reported = true;
    const detail = error instanceof Error ? error.message : String(error);
    console.warn(`[@mcp-edge/upstash-bridge] redis: ${detail} (further errors are silent until it reconnects)`);
  }
}
