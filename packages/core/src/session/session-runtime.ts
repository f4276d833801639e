import type { ProtocolVersion } from "../protocol/constants.js";
import * as ErrorCode from "../protocol/error-code.js";
import { type JsonRpcMessage, type JsonRpcResponse, McpError, type RequestId } from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";
import type { ServerRequestOptions } from "../server/context.js";
import {
  type BroadcastEnvelope,
  Channel,
  type SessionEnvelope,
  standaloneSession,
  standaloneStreamId,
} from "./channels.js";
import { type InFlightRequest, InFlightRequests } from "./in-flight.js";
import { LiveStreams } from "./live-streams.js";
import { ServerRequests } from "./server-requests.js";
import { newSessionId, newShortId } from "./session-id.js";
import {
  type EventStore,
  isStoreUnavailable,
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
  /** How often held standalone streams check their session and refresh their broadcast registration. */
  checkIntervalMs: number;
  maxStreams: number;
  maxPendingServerRequests: number;
  maxInFlightRequests: number;
  requestHeartbeatIntervalMs: number;
  requestHeartbeatTimeoutMs: number;
}

/** A record of the shape this version reads; anything else counts as no session. */
function currentRecord(record: SessionRecord | undefined): SessionRecord | undefined {
  return record?.v === SESSION_RECORD_VERSION ? record : undefined;
}

/** What this instance holds for a session's standalone GET stream. */
export interface StandaloneStream {
  write(eventId: string | undefined, message: JsonRpcMessage): void;
  close(): void;
  subscriptions: Set<string>;
}

/**
 * Everything sessions need beyond a single request: records in the SessionStore, the requests in
 * flight on this instance (for cancellation), server-to-client requests awaiting replies, the
 * standalone GET streams held here, and the StreamManager plumbing that lets any instance reach them.
 */
export class SessionRuntime {
  readonly store: SessionStore;
  readonly eventStore: EventStore | undefined;
  readonly live: LiveStreams;
  readonly requestHeartbeatIntervalMs: number;
  readonly requestHeartbeatTimeoutMs: number;
  readonly #streamManager: StreamManager;
  readonly #options: SessionRuntimeOptions;
  readonly #inFlight = new InFlightRequests();
  readonly #serverRequests: ServerRequests;
  readonly #standalone = new Map<string, StandaloneStream>();
  readonly #sessionChannels = new Map<string, { count: number; unsubscribe: Promise<() => Promise<void>> }>();
  #broadcastSubscription: Promise<() => Promise<void>> | undefined;
  #fanOutTail: Promise<void> = Promise.resolve();
  /** Which attach of a session's standalone stream this instance holds (see the "attached" envelope). */
  readonly #attachTokens = new Map<string, string>();
  /** GET streams held open here (standalone and resumed), for the per-instance limit. */
  #openStreams = 0;
  #checkTimer: ReturnType<typeof setInterval> | undefined;
  #checking = false;

  constructor(options: SessionRuntimeOptions) {
    this.#options = options;
    this.store = options.store;
    this.eventStore = options.eventStore;
    this.#streamManager = options.streamManager;
    this.live = new LiveStreams(options.streamManager);
    this.requestHeartbeatIntervalMs = options.requestHeartbeatIntervalMs;
    this.requestHeartbeatTimeoutMs = options.requestHeartbeatTimeoutMs;
    this.#serverRequests = new ServerRequests({
      timeoutMs: options.serverRequestTimeoutMs,
      maxPerSession: options.maxPendingServerRequests,
      holdChannel: (sessionId) => this.#holdSessionChannel(sessionId),
      deliver: (sessionId, message) => this.deliver(sessionId, message),
      onError: options.onError,
    });
  }

  /** The pub/sub sessions use; the 2026 lane's listen streams read its broadcast channel too. */
  get streamManager(): StreamManager {
    return this.#streamManager;
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
  load(sessionId: string): Promise<SessionRecord | undefined> {
    // Not async: this runs on every request of a session, and an async frame per call adds up.
    return this.store.get(sessionId, this.#options.idleTimeoutMs).then(currentRecord);
  }

  async update(record: SessionRecord, change: (record: SessionRecord) => void): Promise<void> {
    const before = record.subscriptions.join("\n");
    change(record);
    await this.store.set(record, this.#options.idleTimeoutMs);
    if (record.subscriptions.join("\n") !== before) {
      if (this.eventStore) await this.eventStore.setSubscriptions(standaloneStreamId(record.id), record.subscriptions);
      const local = this.#standalone.get(record.id);
      if (local) local.subscriptions = new Set(record.subscriptions);
      else await this.#publishToSession(record.id, { type: "subs", subscriptions: record.subscriptions });
    }
  }

  /** DELETE: gone from the store, its streams closed and its requests aborted, here and elsewhere. */
  async end(sessionId: string): Promise<void> {
    await this.store.delete(sessionId);
    // While this instance listens on the session's channel (a GET stream or a server-to-client request
    // is held here), the end reaches it there, as it reaches every other instance, and is acted on where
    // the subscription delivers: on Workers, inside the request that opened it, which alone may close
    // the streams and subscriptions it created. This request (a DELETE) must not touch them itself.
    const listening = this.#sessionChannels.has(sessionId);
    if (!listening) this.#endLocally(sessionId);
    await Promise.all([
      this.#publishToSession(sessionId, { type: "end" }).catch((error: unknown) => {
        // Nobody will hear it: end what is held here at once rather than leave it open.
        if (listening) this.#endLocally(sessionId);
        throw error;
      }),
      this.eventStore?.unlisten(standaloneStreamId(sessionId)),
    ]);
  }

  /** Shutdown: ends this instance's GET streams and pending server requests, then the stream manager. */
  async close(): Promise<void> {
    clearInterval(this.#checkTimer);
    this.#checkTimer = undefined;
    for (const sessionId of [...this.#standalone.keys()]) this.#endLocally(sessionId);
    this.#serverRequests.rejectAll(new McpError(ErrorCode.InternalError, "Server shutting down"));
    await this.#streamManager.close?.();
  }

  // ---- requests in flight -------------------------------------------------------------------------

  /** Registers a client request so `notifications/cancelled` can abort it; release it once answered. */
  track(sessionId: string, requestId: RequestId): InFlightRequest {
    return this.#inFlight.track(sessionId, requestId);
  }

  /**
   * The error for requests past the per-session in-flight limit, or undefined while `incoming` more
   * fit. The caller answers each refused request with it instead of serving it.
   */
  inFlightLimitError(sessionId: string, incoming: number): McpError | undefined {
    const limit = this.#options.maxInFlightRequests;
    if (!this.#inFlight.exceeds(sessionId, incoming, limit)) return undefined;
    return new McpError(
      ErrorCode.LimitExceeded,
      `Too many requests in flight for this session (maxInFlightRequestsPerSession = ${limit}); retry when some have been answered`,
    );
  }

  // ---- GET streams held here ---------------------------------------------------------------------

  /**
   * Counts a GET stream against the per-instance limit; returns its release (idempotent), or an
   * error naming the limit when it is reached.
   */
  reserveStream(): (() => void) | McpError {
    const limit = this.#options.maxStreams;
    if (this.#openStreams >= limit) {
      return new McpError(
        ErrorCode.LimitExceeded,
        `Too many open streams on this server instance (maxStreamsPerInstance = ${limit}); try again later`,
      );
    }
    this.#openStreams++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#openStreams--;
    };
  }

  async cancel(sessionId: string, requestId: RequestId, reason: unknown): Promise<void> {
    const inFlight = this.#inFlight.find(sessionId, requestId);
    if (inFlight) {
      inFlight.abort(new McpError(ErrorCode.InternalError, typeof reason === "string" ? reason : "Request cancelled"));
      return;
    }
    await this.#publishToSession(sessionId, { type: "cancel", requestId });
  }

  // ---- server-to-client requests -----------------------------------------------------------------

  /**
   * Sends a request to the client with `send` (the originating POST stream, falling back to the
   * standalone stream) and waits for its reply, a timeout, or cancellation.
   */
  request(
    sessionId: string,
    send: (message: JsonRpcMessage) => boolean,
    method: string,
    params: Record<string, unknown>,
    options: ServerRequestOptions,
  ): Promise<Record<string, unknown>> {
    return this.#serverRequests.request(sessionId, send, method, params, options);
  }

  /** A POSTed JSON-RPC response: resolves the waiting request here, or forwards it to its instance. */
  async reply(sessionId: string, response: JsonRpcResponse): Promise<void> {
    if (response.id === null) return;
    if (this.#serverRequests.settle(sessionId, response)) return;
    await this.#publishToSession(sessionId, { type: "reply", message: response });
  }

  // ---- the standalone GET stream -------------------------------------------------------------------
  //
  // A session's standalone stream is a log, not a socket. Its events are appended where they are
  // raised: `deliver` appends to the one session's log; a broadcast is appended by its publisher to
  // the log of every session listening for broadcasts (`EventStore.listen`: registered when a GET
  // stream opens, refreshed while one is held, and kept for the store's retention after it closes).
  // Only then is the event published, with its id, for whichever instance holds a connection. So a
  // client that reconnects on any instance, after any gap within the retention, replays exactly what
  // it missed, and the replay's ids filter out what also arrives live (ReplayingWriter).
  //
  // The alternative, one server-wide broadcast log merged into each session's replay, would make a
  // broadcast one append instead of one per listener, but a merged replay has no single order
  // between the two logs and its event ids must carry two cursors; the resource-subscription filter
  // would also have to be applied at replay time with the subscriptions of then, not of when it was
  // raised. The per-session log keeps one cursor, one order and the filter where it belongs.

  hasStandalone(sessionId: string): boolean {
    return this.#standalone.has(sessionId);
  }

  /**
   * Registers the session's GET stream on this instance once its channel subscriptions are live and
   * (with an event store) the session listens for broadcasts; returns the function that unregisters
   * it. The registration outlives the connection, so broadcasts raised until the client is back are
   * kept for it.
   */
  async attachStandalone(session: SessionRecord, stream: StandaloneStream): Promise<() => void> {
    const sessionId = session.id;
    this.#standalone.set(sessionId, stream);
    let releaseChannel: () => void = () => {};
    const detach = () => {
      if (this.#standalone.get(sessionId) === stream) {
        this.#standalone.delete(sessionId);
        this.#attachTokens.delete(sessionId);
      }
      releaseChannel();
      this.#stopChecksWhenIdle();
    };
    // All at once: with a remote stream manager and store each is a round trip to wait for.
    this.#broadcastSubscription ??= this.#streamManager.subscribe(Channel.broadcast, (raw) => this.#onBroadcast(raw));
    const [channel, broadcast, listening] = await Promise.allSettled([
      this.#holdSessionChannel(sessionId),
      this.#broadcastSubscription,
      this.eventStore?.listen(standaloneStreamId(sessionId), session.subscriptions, this.#listenTtlMs()),
    ]);
    if (channel.status === "fulfilled") releaseChannel = channel.value;
    if (broadcast.status === "rejected") this.#broadcastSubscription = undefined;
    const failed = [channel, broadcast, listening].find((outcome) => outcome.status === "rejected");
    if (failed) {
      detach();
      throw (failed as PromiseRejectedResult).reason;
    }
    this.#checkTimer ??= setInterval(() => void this.#checkStandalone(), this.#options.checkIntervalMs);
    const token = newShortId();
    this.#attachTokens.set(sessionId, token);
    // Another instance may still hold an older stream of this session (the client moved): it lets go.
    // The new stream is served either way, so a failed publish is only reported.
    await this.#publishToSession(sessionId, { type: "attached", attachId: token }).catch(this.#options.onError);
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
      eventId === undefined ? { type: "msg", message } : { type: "msg", message, eventId },
    );
  }

  /** A notification for every session listening anywhere (list_changed), kept in each one's log. */
  async broadcast(message: JsonRpcMessage): Promise<void> {
    await this.#fanOut(message, undefined);
  }

  /** `notifications/resources/updated` for every session subscribed to `uri`, kept in each one's log. */
  async resourceUpdated(uri: string): Promise<void> {
    await this.#fanOut({ jsonrpc: "2.0", method: Method.ResourceUpdated, params: { uri } }, uri);
  }

  /**
   * Broadcasts are recorded and published one after another, in the order they were raised: a tool
   * that changes the tool list and then updates a resource must not have its clients hear the two
   * the other way round because one store round trip was faster than the other.
   */
  #fanOut(message: JsonRpcMessage, uri: string | undefined): Promise<void> {
    const run = this.#fanOutTail.then(() => this.#fanOutNow(message, uri));
    this.#fanOutTail = run.catch(() => {});
    return run;
  }

  async #fanOutNow(message: JsonRpcMessage, uri: string | undefined): Promise<void> {
    let envelope: BroadcastEnvelope;
    if (this.eventStore) {
      const logged = await this.eventStore.appendToListeners(message, uri);
      envelope = { type: "log", message, logged: logged.map(({ streamId, eventId }) => [streamId, eventId]) };
      if (uri !== undefined) envelope.uri = uri;
    } else {
      envelope = uri === undefined ? { type: "all", message } : { type: "resource", uri, message };
    }
    // This instance hears its own publication whenever it holds a GET stream (it is then subscribed).
    await this.#streamManager.publish(Channel.broadcast, JSON.stringify(envelope));
  }

  #onBroadcast(raw: string): void {
    const envelope = JSON.parse(raw) as BroadcastEnvelope;
    if (envelope.type === "log") {
      const logged = new Map<string, string>();
      for (const [streamId, eventId] of envelope.logged) {
        const sessionId = standaloneSession(streamId);
        if (sessionId !== undefined) logged.set(sessionId, eventId);
      }
      for (const [sessionId, stream] of this.#standalone) {
        const eventId = logged.get(sessionId);
        if (eventId !== undefined) stream.write(eventId, envelope.message);
        else if (envelope.uri === undefined || stream.subscriptions.has(envelope.uri)) {
          // Not in the publisher's log: its event store is its own (events kept per instance), or this
          // stream attached after the publisher read the listeners. Log it here, then write it.
          this.#logAndWrite(sessionId, stream, envelope.message).catch(this.#options.onError);
        }
      }
      return;
    }
    for (const stream of this.#standalone.values()) {
      if (envelope.type === "resource" && !stream.subscriptions.has(envelope.uri)) continue;
      stream.write(undefined, envelope.message);
    }
  }

  async #logAndWrite(sessionId: string, stream: StandaloneStream, message: JsonRpcMessage): Promise<void> {
    const eventId = await this.eventStore?.append(standaloneStreamId(sessionId), message);
    if (this.#standalone.get(sessionId) === stream) stream.write(eventId, message);
  }

  /** Lasts over a few missed checks, so a held stream never drops out of the broadcast registry. */
  #listenTtlMs(): number {
    return 3 * this.#options.checkIntervalMs;
  }

  /**
   * For every GET stream held here: the session must still exist (a store that lost it, by a flush or
   * expiry, ends the stream), and its broadcast registration is refreshed with the subscriptions the
   * store holds. An unreachable store ends nothing: the next check tries again.
   */
  async #checkStandalone(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      await Promise.all(
        [...this.#standalone.keys()].map(async (sessionId) => {
          try {
            const record = await this.load(sessionId);
            if (!record) {
              this.#endLocally(sessionId);
              await this.eventStore?.unlisten(standaloneStreamId(sessionId));
              return;
            }
            const local = this.#standalone.get(sessionId);
            if (local) local.subscriptions = new Set(record.subscriptions);
            await this.eventStore?.listen(standaloneStreamId(sessionId), record.subscriptions, this.#listenTtlMs());
          } catch (error) {
            if (!isStoreUnavailable(error)) this.#options.onError(error);
          }
        }),
      );
    } finally {
      this.#checking = false;
    }
  }

  #stopChecksWhenIdle(): void {
    if (this.#standalone.size > 0 || this.#checkTimer === undefined) return;
    clearInterval(this.#checkTimer);
    this.#checkTimer = undefined;
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
    switch (envelope.type) {
      case "msg":
        this.#standalone.get(sessionId)?.write(envelope.eventId, envelope.message);
        break;
      case "reply":
        this.#serverRequests.settle(sessionId, envelope.message);
        break;
      case "cancel":
        this.#inFlight
          .find(sessionId, envelope.requestId)
          ?.abort(new McpError(ErrorCode.InternalError, "Request cancelled"));
        break;
      case "subs": {
        const local = this.#standalone.get(sessionId);
        if (local) local.subscriptions = new Set(envelope.subscriptions);
        break;
      }
      case "end":
        this.#endLocally(sessionId);
        break;
      case "attached": {
        const local = this.#standalone.get(sessionId);
        if (local && this.#attachTokens.get(sessionId) !== envelope.attachId) local.close();
        break;
      }
    }
  }

  async #publishToSession(sessionId: string, envelope: SessionEnvelope): Promise<void> {
    await this.#streamManager.publish(Channel.session(sessionId), JSON.stringify(envelope));
  }

  #endLocally(sessionId: string): void {
    this.#standalone.get(sessionId)?.close();
    this.#standalone.delete(sessionId);
    this.#attachTokens.delete(sessionId);
    this.#stopChecksWhenIdle();
    this.#inFlight.abortSession(sessionId, new McpError(ErrorCode.SessionNotFound, "Session ended"));
    this.#serverRequests.rejectSession(sessionId, new McpError(ErrorCode.SessionNotFound, "Session ended"));
  }
}
