import { BUFFER_RETENTION_MS, Channels, seqTime } from "./object-channels.js";
import { EventLogs } from "./object-events.js";
import { Expiry } from "./object-expiry.js";
import {
  BUFFER_PREFIX,
  keySeq,
  LISTENER_PREFIX,
  type ListenerEntry,
  META_PREFIX,
  type StreamMeta,
} from "./object-keys.js";
import { Listeners } from "./object-listeners.js";
import { SessionSlot } from "./object-session.js";
import type { HibernatableSocket, ObjectState } from "./platform.js";
import { Op, PING, PONG } from "./routing.js";

type Body = Record<string, unknown>;

const json = (result: unknown) => Response.json({ result: result ?? null });

/** A number from a request body, or a thrown TypeError (only this package's Worker code calls the object). */
function num(body: Body, name: string): number {
  const value = body[name];
  if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`${name} must be a number`);
  return value;
}

function str(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== "string") throw new TypeError(`${name} must be a string`);
  return value;
}

function strings(body: Body, name: string): string[] {
  const value = body[name];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new TypeError(`${name} must be a list of strings`);
  }
  return value;
}

/**
 * The Durable Object that keeps mcp-edge sessions: bind it in wrangler.toml (a `new_sqlite_classes`
 * migration) and hand its namespace to `createWorker(server, { sessions: (env) => env.MCP_SESSIONS })`.
 *
 * One object per session (named by the session id) holds the record and its idle deadline, the
 * event logs of the session's streams, and the session's channels; one more object holds the
 * broadcast registry and one the broadcast channel. It is storage and pub/sub only: the Worker runs
 * the MCP server and holds the client's streams. Everything is in the object's storage, so an object
 * that is evicted or restarted carries on; its alarm deletes everything once the session has been
 * idle for the server's `sessionIdleTimeoutMs`, and DELETE does the same at once.
 */
export class McpSessionObject {
  protected readonly ctx: ObjectState;
  readonly #expiry: Expiry;
  readonly #session: SessionSlot;
  readonly #events: EventLogs;
  readonly #listeners: Listeners;
  readonly #channels: Channels;

  constructor(ctx: ObjectState, _env?: unknown) {
    this.ctx = ctx;
    const storage = ctx.storage;
    this.#expiry = new Expiry(storage);
    this.#session = new SessionSlot(storage, this.#expiry, () => this.#wipe());
    this.#events = new EventLogs(storage, this.#expiry);
    this.#listeners = new Listeners(storage, this.#expiry);
    this.#channels = new Channels(ctx, this.#expiry);
    // Subscribers check their socket with a ping; the runtime answers it without waking the object.
    const Pair = (globalThis as { WebSocketRequestResponsePair?: new (request: string, response: string) => unknown })
      .WebSocketRequestResponsePair;
    if (Pair) ctx.setWebSocketAutoResponse(new Pair(PING, PONG));
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const op = url.pathname.slice(1);
    try {
      if (op === Op.subscribe) return await this.#subscribe(request, url);
      const body = (await request.json()) as Body;
      return json(await this.#run(op, body));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Response.json({ error: message }, { status: error instanceof TypeError ? 400 : 500 });
    }
  }

  async #run(op: string, body: Body): Promise<unknown> {
    switch (op) {
      case Op.getEx:
        return this.#session.get(num(body, "ttl"));
      case Op.set:
        return this.#session.set(str(body, "value"), num(body, "ttl"));
      case Op.expire:
        return this.#session.expire(num(body, "ttl"));
      case Op.del:
        return this.#wipe();
      case Op.append:
      case Op.appendAll:
        return this.#events.append(strings(body, "streams"), str(body, "value"), num(body, "maxLen"), num(body, "ttl"));
      case Op.range:
        return this.#events.range(str(body, "stream"), num(body, "after"));
      case Op.register:
        return this.#listeners.register(str(body, "stream"), str(body, "value"), num(body, "now"), num(body, "ttl"));
      case Op.replace:
        return this.#listeners.replace(str(body, "stream"), str(body, "value"));
      case Op.unregister:
        return this.#listeners.unregister(str(body, "stream"));
      case Op.members:
        return this.#listeners.members(num(body, "now"));
      case Op.values:
        return this.#listeners.values(strings(body, "streams"));
      case Op.publish: {
        const session = body.session === true;
        return this.#channels.publish(str(body, "channel"), str(body, "message"), () =>
          session ? this.#session.exists() : Promise.resolve(true),
        );
      }
      default:
        throw new TypeError(`unknown operation ${op}`);
    }
  }

  async #subscribe(request: Request, url: URL): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: "expected a WebSocket upgrade" }, { status: 426 });
    }
    const channel = url.searchParams.get("channel");
    if (channel === null) return Response.json({ error: "channel is required" }, { status: 400 });
    const afterText = url.searchParams.get("after");
    const after = afterText === null ? undefined : Number(afterText);
    if (after !== undefined && !Number.isSafeInteger(after)) {
      return Response.json({ error: "after must be an integer" }, { status: 400 });
    }
    const Pair = (globalThis as { WebSocketPair?: new () => Record<0 | 1, HibernatableSocket> }).WebSocketPair;
    if (!Pair) throw new Error("WebSocketPair is not available in this runtime");
    const pair = new Pair();
    await this.#channels.accept(pair[1], channel, after);
    return new Response(null, { status: 101, webSocket: pair[0] } as ResponseInit);
  }

  /**
   * The earliest expiry came: a session past its idle deadline takes everything with it; otherwise
   * expired streams, buffered messages and registrations go, and the alarm moves to the next expiry.
   */
  async alarm(): Promise<void> {
    this.#expiry.fired();
    const now = Date.now();
    const storage = this.ctx.storage;
    const deadline = await this.#session.deadline();
    if (deadline !== undefined && deadline <= now) return this.#wipe();
    let next = deadline ?? Number.POSITIVE_INFINITY;
    let kept = deadline !== undefined;
    for (const [key, meta] of await storage.list<StreamMeta>({ prefix: META_PREFIX })) {
      if (meta.expiresAt <= now) await this.#events.drop(key.slice(META_PREFIX.length));
      else {
        next = Math.min(next, meta.expiresAt);
        kept = true;
      }
    }
    const stale: string[] = [];
    for (const key of (await storage.list({ prefix: BUFFER_PREFIX })).keys()) {
      const expiresAt = seqTime(keySeq(key)) + BUFFER_RETENTION_MS;
      if (expiresAt <= now) stale.push(key);
      else {
        next = Math.min(next, expiresAt);
        kept = true;
      }
    }
    for (const [key, entry] of await storage.list<ListenerEntry>({ prefix: LISTENER_PREFIX })) {
      if (entry.expiresAt <= now) stale.push(key);
      else {
        next = Math.min(next, entry.expiresAt);
        kept = true;
      }
    }
    if (!kept) return this.#wipe();
    for (let at = 0; at < stale.length; at += 128) await storage.delete(stale.slice(at, at + 128));
    await this.#expiry.next(next);
  }

  webSocketMessage(_socket: HibernatableSocket, _message: string | ArrayBuffer): void {
    // Subscribers only send pings, which the auto-response answers; anything else is ignored.
  }

  webSocketClose(socket: HibernatableSocket, code: number): void {
    try {
      socket.close(code === 1005 || code === 1006 ? 1000 : code);
    } catch {
      // Already closed.
    }
  }

  /** Deletes everything the object keeps, alarm included: the session (if any) answers 404 from now on. */
  async #wipe(): Promise<void> {
    await this.#expiry.clear();
    await this.ctx.storage.deleteAll();
  }
}
