import { ErrorCode, Method, type ProtocolVersion } from "../protocol/constants.js";
import {
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  McpError,
  type RequestId,
} from "../protocol/jsonrpc.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";
import type { ServerRequestOptions } from "../server/context.js";
import { type BroadcastEnvelope, Channel, type SessionEnvelope, standaloneStreamId } from "./channels.js";
import { type InFlightRequest, InFlightRequests } from "./in-flight.js";
import { LiveStreams } from "./live-streams.js";
import { newSessionId, newShortId } from "./session-id.js";
import {
  type EventStore,
  SESSION_RECORD_VERSION,
  type SessionRecord,
  type SessionStore,
  type StreamManager,
} from "./types.js";

export interface SessionRuntimeOptions {
  store: SessionStore;
  streamManager: StreamManager;
  eventStore: EventStore | undefined;
  idleTimeoutMs: number;
  serverRequestTimeoutMs: number;
  onError: (error: unknown) => void;
}

interface PendingRequest {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/** What this instance holds for a session's standalone GET stream. */
export interface StandaloneStream {
  write(eventId: string | undefined, message: JsonRpcMessage): void;
  close(): void;
  subscriptions: Set<string>;
}

const key = (sessionId: string, id: RequestId) => `${sessionId}\u0000${typeof id}:${id}`;

/**
 * Everything sessions need beyond a single request: records in the SessionStore, the requests in
 * flight on this instance (for cancellation), server-to-client requests awaiting replies, the
 * standalone GET streams held here, and the StreamManager plumbing that lets any instance reach them.
 */
export class SessionRuntime {
  readonly store: SessionStore;
  readonly eventStore: EventStore | undefined;
  readonly live: LiveStreams;
  readonly #streamManager: StreamManager;
  readonly #options: SessionRuntimeOptions;
  readonly #inFlight = new InFlightRequests();
  readonly #pending = new Map<string, PendingRequest>();
  readonly #standalone = new Map<string, StandaloneStream>();
  readonly #sessionChannels = new Map<string, { count: number; unsubscribe: Promise<() => Promise<void>> }>();
  #broadcastSubscription: Promise<() => Promise<void>> | undefined;

  constructor(options: SessionRuntimeOptions) {
    this.#options = options;
    this.store = options.store;
    this.eventStore = options.eventStore;
    this.#streamManager = options.streamManager;
    this.live = new LiveStreams(options.streamManager);
  }

  // ---- records ----------------------------------------------------------------------------------

  async create(fields: {
    protocolVersion: ProtocolVersion;
    clientInfo?: Implementation;
    clientCapabilities: ClientCapabilities;
    authSubject?: string;
  }): Promise<SessionRecord> {
    const now = Date.now();
    const record: SessionRecord = {
      v: SESSION_RECORD_VERSION,
      id: newSessionId(),
      protocolVersion: fields.protocolVersion,
      clientCapabilities: fields.clientCapabilities,
      initialized: false,
      subscriptions: [],
      createdAt: now,
      lastAccessAt: now,
    };
    if (fields.clientInfo) record.clientInfo = fields.clientInfo;
    if (fields.authSubject !== undefined) record.authSubject = fields.authSubject;
    await this.store.set(record, this.#options.idleTimeoutMs);
    return record;
  }

  /** Loads and slides the idle timeout in one store operation; undefined: unknown, expired or ended. */
  async load(sessionId: string): Promise<SessionRecord | undefined> {
    const record = await this.store.get(sessionId, this.#options.idleTimeoutMs);
    return record?.v === SESSION_RECORD_VERSION ? record : undefined;
  }

  async update(record: SessionRecord, change: (record: SessionRecord) => void): Promise<void> {
    const before = record.subscriptions.join("\n");
    change(record);
    await this.store.set(record, this.#options.idleTimeoutMs);
    if (record.subscriptions.join("\n") !== before) {
      const local = this.#standalone.get(record.id);
      if (local) local.subscriptions = new Set(record.subscriptions);
      else await this.#publishToSession(record.id, { t: "subs", s: record.subscriptions });
    }
  }

  /** DELETE: gone from the store, its streams closed and its requests aborted, here and elsewhere. */
  async end(sessionId: string): Promise<void> {
    await this.store.delete(sessionId);
    this.#endLocally(sessionId);
    await this.#publishToSession(sessionId, { t: "end" });
  }

  /** Shutdown: ends this instance's GET streams and pending server requests, then the stream manager. */
  async close(): Promise<void> {
    for (const sessionId of [...this.#standalone.keys()]) this.#endLocally(sessionId);
    for (const pending of this.#pending.values())
      pending.reject(new McpError(ErrorCode.InternalError, "Server shutting down"));
    await this.#streamManager.close?.();
  }

  // ---- requests in flight -------------------------------------------------------------------------

  /** Registers a client request so `notifications/cancelled` can abort it; release it once answered. */
  track(sessionId: string, requestId: RequestId): InFlightRequest {
    return this.#inFlight.track(sessionId, requestId);
  }

  async cancel(sessionId: string, requestId: RequestId, reason: unknown): Promise<void> {
    const inFlight = this.#inFlight.find(sessionId, requestId);
    if (inFlight) {
      inFlight.abort(new McpError(ErrorCode.InternalError, typeof reason === "string" ? reason : "Request cancelled"));
      return;
    }
    await this.#publishToSession(sessionId, { t: "cancel", id: requestId });
  }

  // ---- server-to-client requests -----------------------------------------------------------------

  /**
   * Sends a request to the client with `send` (the originating POST stream, falling back to the
   * standalone stream) and waits for its reply, a timeout, or cancellation.
   */
  async request(
    sessionId: string,
    send: (message: JsonRpcMessage) => boolean,
    method: string,
    params: Record<string, unknown>,
    options: ServerRequestOptions,
  ): Promise<Record<string, unknown>> {
    const id = `s-${newShortId()}`;
    const message: JsonRpcRequest = { jsonrpc: "2.0", id, method, params };
    const k = key(sessionId, id);
    const timeoutMs = options.timeoutMs ?? this.#options.serverRequestTimeoutMs;
    const release = await this.#holdSessionChannel(sessionId);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await new Promise<Record<string, unknown>>((resolve, reject) => {
        this.#pending.set(k, { resolve, reject });
        timer = setTimeout(() => {
          reject(new McpError(ErrorCode.RequestTimeout, `${method} timed out after ${timeoutMs} ms`));
          void this.#cancelOnClient(sessionId, send, id, "timeout");
        }, timeoutMs);
        const signal = options.signal;
        if (signal) {
          onAbort = () => {
            reject(new McpError(ErrorCode.InternalError, `${method} was cancelled`));
            void this.#cancelOnClient(sessionId, send, id, "cancelled");
          };
          if (signal.aborted) return onAbort();
          signal.addEventListener("abort", onAbort, { once: true });
        }
        if (!send(message)) {
          this.deliver(sessionId, message).catch((error: unknown) => {
            reject(error instanceof Error ? error : new Error(String(error)));
          });
        }
      });
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
      this.#pending.delete(k);
      release();
    }
  }

  /** A POSTed JSON-RPC response: resolves the waiting request here, or forwards it to its instance. */
  async reply(sessionId: string, response: JsonRpcResponse): Promise<void> {
    if (response.id === null) return;
    if (this.#settle(sessionId, response)) return;
    await this.#publishToSession(sessionId, { t: "reply", m: response });
  }

  #settle(sessionId: string, response: JsonRpcResponse): boolean {
    if (response.id === null) return false;
    const pending = this.#pending.get(key(sessionId, response.id));
    if (!pending) return false;
    if ("error" in response) {
      pending.reject(new McpError(response.error.code, response.error.message, response.error.data));
    } else {
      pending.resolve(response.result);
    }
    return true;
  }

  async #cancelOnClient(
    sessionId: string,
    send: (message: JsonRpcMessage) => boolean,
    requestId: string,
    reason: string,
  ) {
    const notice: JsonRpcMessage = { jsonrpc: "2.0", method: Method.Cancelled, params: { requestId, reason } };
    if (!send(notice)) await this.deliver(sessionId, notice).catch(this.#options.onError);
  }

  // ---- the standalone GET stream -------------------------------------------------------------------

  hasStandalone(sessionId: string): boolean {
    return this.#standalone.has(sessionId);
  }

  /**
   * Registers the session's GET stream on this instance once its channel subscriptions are live;
   * returns the function that unregisters it.
   */
  async attachStandalone(sessionId: string, stream: StandaloneStream): Promise<() => void> {
    this.#standalone.set(sessionId, stream);
    let releaseChannel: () => void = () => {};
    const detach = () => {
      if (this.#standalone.get(sessionId) === stream) this.#standalone.delete(sessionId);
      releaseChannel();
    };
    // Both subscriptions at once: with a remote stream manager each is a round trip to wait for.
    this.#broadcastSubscription ??= this.#streamManager.subscribe(Channel.broadcast, (raw) => this.#onBroadcast(raw));
    const [channel, broadcast] = await Promise.allSettled([
      this.#holdSessionChannel(sessionId),
      this.#broadcastSubscription,
    ]);
    if (channel.status === "fulfilled") releaseChannel = channel.value;
    if (channel.status === "rejected" || broadcast.status === "rejected") {
      detach();
      if (broadcast.status === "rejected") this.#broadcastSubscription = undefined;
      throw channel.status === "rejected" ? channel.reason : (broadcast as PromiseRejectedResult).reason;
    }
    return detach;
  }

  /** Sends a message on the session's standalone stream, wherever it is held (kept for replay meanwhile). */
  async deliver(sessionId: string, message: JsonRpcMessage): Promise<void> {
    const eventId = this.eventStore ? await this.eventStore.append(standaloneStreamId(sessionId), message) : undefined;
    const local = this.#standalone.get(sessionId);
    if (local) {
      local.write(eventId, message);
      return;
    }
    await this.#publishToSession(
      sessionId,
      eventId === undefined ? { t: "msg", m: message } : { t: "msg", m: message, e: eventId },
    );
  }

  /** A notification for every session connected anywhere (list_changed). */
  async broadcast(message: JsonRpcMessage): Promise<void> {
    const envelope: BroadcastEnvelope = { t: "all", m: message };
    await this.#streamManager.publish(Channel.broadcast, JSON.stringify(envelope));
    if (!this.#broadcastSubscription) this.#onBroadcast(JSON.stringify(envelope));
  }

  /** `notifications/resources/updated` for every session subscribed to `uri`, wherever it is connected. */
  async resourceUpdated(uri: string): Promise<void> {
    const envelope: BroadcastEnvelope = {
      t: "resource",
      uri,
      m: { jsonrpc: "2.0", method: Method.ResourceUpdated, params: { uri } },
    };
    await this.#streamManager.publish(Channel.broadcast, JSON.stringify(envelope));
  }

  #onBroadcast(raw: string): void {
    const envelope = JSON.parse(raw) as BroadcastEnvelope;
    for (const [sessionId, stream] of this.#standalone) {
      if (envelope.t === "resource" && !stream.subscriptions.has(envelope.uri)) continue;
      this.deliver(sessionId, envelope.m).catch(this.#options.onError);
    }
  }

  // ---- the per-session channel -------------------------------------------------------------------

  /**
   * Keeps this instance subscribed to the session's channel while something here needs it (a GET
   * stream, a pending server-to-client request). Resolves once the subscription is live, so nothing
   * published after that point can be missed; returns the release function.
   */
  async #holdSessionChannel(sessionId: string): Promise<() => void> {
    let entry = this.#sessionChannels.get(sessionId);
    if (!entry) {
      const unsubscribe = this.#streamManager.subscribe(Channel.session(sessionId), (raw) =>
        this.#onSessionMessage(sessionId, raw),
      );
      entry = { count: 0, unsubscribe };
      this.#sessionChannels.set(sessionId, entry);
    }
    entry.count++;
    const held = entry;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.count--;
      if (held.count === 0 && this.#sessionChannels.get(sessionId) === held) {
        this.#sessionChannels.delete(sessionId);
        held.unsubscribe.then((unsubscribe) => unsubscribe()).catch(this.#options.onError);
      }
    };
    try {
      await held.unsubscribe;
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  #onSessionMessage(sessionId: string, raw: string): void {
    const envelope = JSON.parse(raw) as SessionEnvelope;
    switch (envelope.t) {
      case "msg":
        this.#standalone.get(sessionId)?.write(envelope.e, envelope.m);
        break;
      case "reply":
        this.#settle(sessionId, envelope.m);
        break;
      case "cancel":
        this.#inFlight.find(sessionId, envelope.id)?.abort(new McpError(ErrorCode.InternalError, "Request cancelled"));
        break;
      case "subs": {
        const local = this.#standalone.get(sessionId);
        if (local) local.subscriptions = new Set(envelope.s);
        break;
      }
      case "end":
        this.#endLocally(sessionId);
        break;
    }
  }

  async #publishToSession(sessionId: string, envelope: SessionEnvelope): Promise<void> {
    await this.#streamManager.publish(Channel.session(sessionId), JSON.stringify(envelope));
  }

  #endLocally(sessionId: string): void {
    this.#standalone.get(sessionId)?.close();
    this.#standalone.delete(sessionId);
    this.#inFlight.abortSession(sessionId, new McpError(ErrorCode.SessionNotFound, "Session ended"));
    const prefix = `${sessionId}\u0000`;
    for (const [k, pending] of this.#pending) {
      if (k.startsWith(prefix)) pending.reject(new McpError(ErrorCode.SessionNotFound, "Session ended"));
    }
  }
}
