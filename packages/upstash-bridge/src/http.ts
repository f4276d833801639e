import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkAllowed, toCommand, toCommands } from "./command-rules.js";
import { CommandRunner, type Outcome } from "./commands.js";
import type { Encoding } from "./encoding.js";
import { HttpError } from "./http-error.js";
import type { UpstashBridgeOptions } from "./options.js";
import { Subscriptions } from "./pub-sub.js";
import type { RedisLink } from "./redis-link.js";

/** The HTTP side of the bridge: authorization, routing, bodies and answers. */
export class RestApi {
  readonly #options: UpstashBridgeOptions;
  readonly #tokenDigest: Buffer;
  readonly #commands: CommandRunner;
  readonly #subscriptions: Subscriptions;
  #syncToken = 0;

  constructor(options: UpstashBridgeOptions, redis: RedisLink) {
    this.#options = options;
    this.#tokenDigest = digest(options.token);
    this.#commands = new CommandRunner(redis, options.redisUrl);
    this.#subscriptions = new Subscriptions(options, (res) => this.#headers(res));
  }

  /** Ends every open subscribe stream (for shutdown). */
  endStreams(): void {
    this.#subscriptions.endAll();
  }

  /** Answers one request of the REST API. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://bridge.invalid");
    if (!this.#authorized(req, url)) {
      res.setHeader("WWW-Authenticate", "Bearer");
      return this.json(res, 401, { error: "Unauthorized" });
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
        return await this.#subscriptions.relay(req, res, first, rest);
      }
      if (req.method !== "POST" && req.method !== "GET" && req.method !== "PUT") {
        throw new HttpError(405, "ERR method not allowed");
      }
      if (decoded.length === 0) {
        if (req.method === "GET") throw new HttpError(400, "ERR send a command: POST / with a JSON array");
        const args = toCommand(await this.#body(req));
        return this.#reply(res, await this.#commands.single(args, encoding));
      }
      if (decoded.length === 1 && (first === "pipeline" || first === "multi-exec")) {
        if (req.method === "GET") throw new HttpError(405, "ERR method not allowed");
        const commands = toCommands(await this.#body(req));
        checkAllowed(commands);
        const outcomes =
          first === "pipeline"
            ? await this.#commands.pipeline(commands, encoding)
            : await this.#commands.transaction(commands, encoding);
        return this.json(res, 200, outcomes);
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
      return this.#reply(res, await this.#commands.single(args, encoding));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (res.headersSent) return void res.end();
      return this.json(res, error.status, { error: error.message });
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

  /** Writes a JSON answer, sync token included. */
  json(res: ServerResponse, status: number, body: unknown): void {
    this.#headers(res);
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  #reply(res: ServerResponse, outcome: Outcome): void {
    // Upstash answers a failed single command with 400 and `{ error }`; @upstash/redis then throws.
    this.json(res, "error" in outcome ? 400 : 200, outcome);
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
