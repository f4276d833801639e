import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createClient, ErrorReply, RESP_TYPES } from "redis";
import { type Encoding, encodeReply, type JsonValue } from "./encoding.js";

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

/** Bulk strings as raw bytes, so base64 replies carry exactly what Redis holds. */
const AS_BYTES = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } as const;

/**
 * Commands that would change the shared connection's state for every other request (or that have
 * an endpoint of their own): refused, as Upstash refuses them.
 */
const REFUSED = new Set([
  "SUBSCRIBE",
  "PSUBSCRIBE",
  "SSUBSCRIBE",
  "UNSUBSCRIBE",
  "PUNSUBSCRIBE",
  "SUNSUBSCRIBE",
  "MULTI",
  "EXEC",
  "DISCARD",
  "WATCH",
  "UNWATCH",
  "SELECT",
  "SWAPDB",
  "QUIT",
  "RESET",
  "MONITOR",
  "SYNC",
  "PSYNC",
  "HELLO",
  "AUTH",
]);

/** Commands that can wait server-side; they get a connection of their own so they never stall the others. */
const BLOCKING = new Set([
  "BLPOP",
  "BRPOP",
  "BRPOPLPUSH",
  "BLMOVE",
  "BLMPOP",
  "BZPOPMIN",
  "BZPOPMAX",
  "BZMPOP",
  "WAIT",
  "WAITAOF",
]);

function isBlocking(args: string[]): boolean {
  const name = (args[0] ?? "").toUpperCase();
  if (BLOCKING.has(name)) return true;
  return (name === "XREAD" || name === "XREADGROUP") && args.some((arg) => arg.toUpperCase() === "BLOCK");
}

function refusal(args: string[]): string | undefined {
  const name = (args[0] ?? "").toUpperCase();
  if (REFUSED.has(name)) return `ERR ${name} is not supported by the REST API (use /multi-exec or /subscribe)`;
  if (name === "CLIENT" && /^(REPLY|TRACKING|CACHING)$/i.test(args[1] ?? "")) {
    return `ERR CLIENT ${(args[1] ?? "").toUpperCase()} is not supported by the REST API`;
  }
  return undefined;
}

/** A request the bridge answers with a status and an `{ error }` body. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Redis could not be reached (as opposed to Redis answering with an error). */
function unavailable(error: unknown): HttpError {
  const detail = error instanceof Error ? error.message : String(error);
  return new HttpError(503, `redis-server unavailable: ${detail}`);
}

/** One command as the JSON body carries it: strings, numbers and booleans, as @upstash/redis serialises them. */
function toCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new HttpError(400, "ERR a command must be a non-empty array");
  return value.map((arg: unknown) => {
    if (typeof arg === "string") return arg;
    if (typeof arg === "number" || typeof arg === "boolean") return String(arg);
    throw new HttpError(400, "ERR command arguments must be strings, numbers or booleans");
  });
}

function toCommands(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, "ERR a pipeline or transaction must be a non-empty array of commands");
  }
  return value.map(toCommand);
}

function checkAllowed(commands: string[][]): void {
  for (const args of commands) {
    const refused = refusal(args);
    if (refused) throw new HttpError(400, refused);
  }
}

type Outcome = { result: JsonValue } | { error: string };

function makeClient(url: string, reconnect: boolean) {
  return createClient({
    url,
    // RESP2: flat arrays for HGETALL and friends, as the Upstash protocol has them.
    RESP: 2,
    // A command issued while Redis is unreachable fails at once (the request gets 503) instead of waiting.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: reconnect ? (retries: number) => Math.min(50 * 2 ** retries, 2_000) : false },
  });
}

type RedisLink = ReturnType<typeof makeClient>;

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
  readonly #tokenDigest: Buffer;
  readonly #redis: RedisLink;
  readonly #server: Server;
  readonly #streams = new Set<() => void>();
  readonly #sockets = new Set<Socket>();
  #syncToken = 0;
  #closed: Promise<void> | undefined;
  #reported = false;
  host = "127.0.0.1";
  port = 0;

  constructor(options: UpstashBridgeOptions) {
    this.#options = options;
    this.#tokenDigest = digest(options.token);
    this.#redis = makeClient(options.redisUrl, true);
    this.#redis.on("ready", () => {
      this.#reported = false;
    });
    // An EventEmitter with no 'error' listener crashes the process; an outage must only mean 503s.
    this.#redis.on("error", (error: unknown) => this.#report(error));
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#report(error);
        if (!res.headersSent) this.#json(res, 500, { error: "ERR internal bridge error" });
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
      for (const end of [...this.#streams]) end();
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

  // ---- HTTP ---------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://bridge.invalid");
    if (!this.#authorized(req, url)) {
      res.setHeader("WWW-Authenticate", "Bearer");
      return this.#json(res, 401, { error: "Unauthorized" });
    }
    const segments = url.pathname.split("/").filter((segment) => segment !== "");
    const encoding: Encoding = /^base64$/i.test(String(req.headers["upstash-encoding"] ?? "")) ? "base64" : "plain";
    try {
      let decoded: string[];
      try {
        decoded = segments.map((segment) => decodeURIComponent(segment));
      } catch {
        throw new HttpError(400, "ERR malformed percent-encoding in the path");
      }
      const [first = "", ...rest] = decoded;
      if (first === "subscribe" || first === "psubscribe") {
        if (req.method !== "POST" && req.method !== "GET") throw new HttpError(405, "ERR method not allowed");
        return await this.#subscribe(req, res, first, rest);
      }
      if (req.method !== "POST" && req.method !== "GET" && req.method !== "PUT") {
        throw new HttpError(405, "ERR method not allowed");
      }
      if (decoded.length === 0) {
        if (req.method === "GET") throw new HttpError(400, "ERR send a command: POST / with a JSON array");
        const args = toCommand(await this.#body(req));
        return this.#reply(res, await this.#single(args, encoding));
      }
      if (decoded.length === 1 && (first === "pipeline" || first === "multi-exec")) {
        if (req.method === "GET") throw new HttpError(405, "ERR method not allowed");
        const commands = toCommands(await this.#body(req));
        checkAllowed(commands);
        const outcomes =
          first === "pipeline" ? await this.#pipeline(commands, encoding) : await this.#transaction(commands, encoding);
        return this.#json(res, 200, outcomes);
      }
      // Path-style: /set/key/value?EX=100, with a POST body (if any) as the last value before the query.
      const args = [...decoded];
      if (req.method !== "GET") {
        const raw = await this.#rawBody(req);
        if (raw.length > 0) args.push(raw.toString("utf8"));
      }
      for (const [key, value] of url.searchParams) {
        if (key === "_token") continue;
        args.push(key);
        if (value !== "") args.push(value);
      }
      return this.#reply(res, await this.#single(args, encoding));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (res.headersSent) return void res.end();
      return this.#json(res, error.status, { error: error.message });
    }
  }

  #authorized(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const presented = match?.[1] ?? url.searchParams.get("_token");
    if (!presented) return false;
    // Digests have one length, so the comparison takes the same time whatever was presented.
    return timingSafeEqual(digest(presented), this.#tokenDigest);
  }

  async #rawBody(req: IncomingMessage): Promise<Buffer> {
    const limit = this.#options.maxBodyBytes ?? 16 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > limit) throw new HttpError(413, `ERR request body larger than ${limit} bytes`);
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }

  async #body(req: IncomingMessage): Promise<unknown> {
    const raw = await this.#rawBody(req);
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      throw new HttpError(400, "ERR the request body is not valid JSON");
    }
  }

  #headers(res: ServerResponse): void {
    // @upstash/redis sends the last token back on its next request (read-your-writes). One Redis
    // is always consistent with itself, so any increasing token satisfies it; it proves the header
    // round-trips.
    res.setHeader("upstash-sync-token", String(++this.#syncToken));
  }

  #json(res: ServerResponse, status: number, body: unknown): void {
    this.#headers(res);
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  #reply(res: ServerResponse, outcome: Outcome): void {
    // Upstash answers a failed single command with 400 and `{ error }`; @upstash/redis then throws.
    this.#json(res, "error" in outcome ? 400 : 200, outcome);
  }

  // ---- commands -----------------------------------------------------------------------------------

  async #single(args: string[], encoding: Encoding): Promise<Outcome> {
    const refused = refusal(args);
    if (refused) throw new HttpError(400, refused);
    const [outcome] = isBlocking(args)
      ? await this.#isolated((link) => run(link, [args], encoding))
      : await run(this.#redis, [args], encoding);
    return outcome as Outcome;
  }

  #pipeline(commands: string[][], encoding: Encoding): Promise<Outcome[]> {
    return commands.some(isBlocking)
      ? this.#isolated((link) => run(link, commands, encoding))
      : run(this.#redis, commands, encoding);
  }

  /**
   * A real MULTI/EXEC. node-redis's own `multi()` decodes EXEC's reply as text, losing the bytes the
   * base64 encoding needs, so the commands are sent raw. node-redis (6.3.1) queues what
   * `sendCommand` is given synchronously, so MULTI, the commands and EXEC, issued in one
   * synchronous block, reach Redis back to back: no other request's command can fall in between.
   */
  async #transaction(commands: string[][], encoding: Encoding): Promise<Outcome[]> {
    const link = this.#redis;
    const multi = settle(link.sendCommand(["MULTI"]));
    const queued = commands.map((args) => settle(link.sendCommand(args)));
    const exec = settle(link.sendCommand(["EXEC"], AS_BYTES));
    const [began, each, done] = await Promise.all([multi, Promise.all(queued), exec]);
    for (const outcome of [began, ...each, done]) {
      if ("error" in outcome && !(outcome.error instanceof ErrorReply)) throw unavailable(outcome.error);
    }
    if ("error" in done) {
      // EXECABORT: a command was refused while queuing (syntax, arity); nothing ran.
      const cause = each.find((outcome): outcome is { error: unknown } => "error" in outcome);
      const detail = cause && cause.error instanceof Error ? ` ${cause.error.message}` : "";
      throw new HttpError(400, `${errorText(done.error)}${detail}`);
    }
    if (!Array.isArray(done.value)) throw new HttpError(400, "EXECABORT the transaction was aborted");
    return done.value.map((reply: unknown) =>
      reply instanceof Error ? { error: reply.message } : { result: encodeReply(reply, encoding) },
    );
  }

  /** A connection of its own for blocking commands, closed afterwards. */
  async #isolated<T>(work: (link: RedisLink) => Promise<T>): Promise<T> {
    const link = makeClient(this.#options.redisUrl, false);
    link.on("error", () => {});
    try {
      await link.connect();
    } catch (error) {
      link.destroy();
      throw unavailable(error);
    }
    try {
      return await work(link);
    } finally {
      link.destroy();
    }
  }

  // ---- pub/sub ------------------------------------------------------------------------------------

  /**
   * `POST /subscribe/<channel>[/<channel>...]` or `/psubscribe/<pattern>...`: a Redis connection of
   * the request's own, subscribed, relayed as server-sent events until the client goes away (then
   * the connection is closed, which unsubscribes) or Redis does (then the stream ends, so the
   * client knows to reconnect). The first event is sent only once Redis confirmed the
   * subscription, so a client that has read it can publish and be sure to receive.
   */
  async #subscribe(
    req: IncomingMessage,
    res: ServerResponse,
    kind: "subscribe" | "psubscribe",
    names: string[],
  ): Promise<void> {
    if (names.length === 0) throw new HttpError(400, `ERR ${kind} needs at least one channel or pattern`);
    req.resume();
    const link = makeClient(this.#options.redisUrl, false);
    let ended = false;
    let streaming = false;
    let clientGone = false;
    let keepAlive: NodeJS.Timeout | undefined;
    const end = () => {
      if (ended) return;
      ended = true;
      this.#streams.delete(end);
      if (keepAlive) clearInterval(keepAlive);
      link.destroy();
      // Before the stream started, the caller still answers with an error status.
      if (streaming && !res.writableEnded) res.end();
    };
    this.#streams.add(end);
    res.once("close", () => {
      clientGone = true;
      end();
    });
    link.on("error", end);
    link.on("end", end);

    const write = (fields: string[], payload: string) => {
      if (ended) return;
      // Event data cannot hold a line break; a payload with some goes out as several `data:` lines,
      // which SSE clients join back with "\n".
      const [head = "", ...more] = payload.split(/\r\n|\r|\n/);
      let event = `data: ${[...fields, head].join(",")}\n`;
      for (const line of more) event += `data: ${line}\n`;
      res.write(`${event}\n`);
    };

    let failure: unknown;
    try {
      await link.connect();
      for (const name of names) {
        if (kind === "subscribe") {
          await link.SUBSCRIBE(
            name,
            (message: Buffer, channel: Buffer) =>
              write(["message", channel.toString("utf8")], message.toString("utf8")),
            true,
          );
        } else {
          await link.PSUBSCRIBE(
            name,
            (message: Buffer, channel: Buffer) =>
              write(["pmessage", name, channel.toString("utf8")], message.toString("utf8")),
            true,
          );
        }
      }
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined || ended) {
      end();
      if (clientGone) return;
      throw unavailable(failure ?? new Error("the connection to redis-server closed"));
    }
    streaming = true;
    this.#headers(res);
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    names.forEach((name, n) => {
      write([kind, name], String(n + 1));
    });
    const interval = this.#options.keepAliveMs ?? 15_000;
    if (interval > 0) {
      keepAlive = setInterval(() => {
        if (!ended) res.write(": keepalive\n\n");
      }, interval);
      keepAlive.unref();
    }
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Settled = { value: unknown } | { error: unknown };

function settle(promise: Promise<unknown>): Promise<Settled> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/**
 * Runs commands on one connection, all issued before any reply is awaited, so node-redis writes
 * them in one batch (a pipeline on the wire). A Redis error reply is that command's `{ error }`;
 * a connection failure fails the whole request with 503, since which commands ran is unknown.
 */
async function run(link: RedisLink, commands: string[][], encoding: Encoding): Promise<Outcome[]> {
  const settled = await Promise.all(commands.map((args) => settle(link.sendCommand(args, AS_BYTES))));
  return settled.map((outcome) => {
    if ("value" in outcome) return { result: encodeReply(outcome.value, encoding) };
    if (outcome.error instanceof ErrorReply) return { error: outcome.error.message };
    throw unavailable(outcome.error);
  });
}
