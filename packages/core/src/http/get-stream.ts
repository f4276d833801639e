import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import { errorResponse, isResponse, type JsonRpcMessage, McpError, type RequestId } from "../protocol/jsonrpc.js";
import { parsePostStreamId, standaloneStreamId } from "../session/channels.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { EventStore, SessionRecord, StoredEvent } from "../session/types.js";
import type { HandlerConfig } from "./config.js";
import { type HeaderRecord, rpcErrorResponse } from "./responses.js";
import { SseConnection } from "./sse.js";

/**
 * A broadcast hands the same message object to every stream: its wire text is made once and shared
 * instead of once per stream. Messages are not changed once sent, so the text stays right.
 */
const wireTexts = new WeakMap<JsonRpcMessage, string>();

function wireText(message: JsonRpcMessage): string {
  let text = wireTexts.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    wireTexts.set(message, text);
  }
  return text;
}

/**
 * Writes replayed events, then live ones, to one connection without duplicates: live events that
 * arrive before or during the replay are held back and then filtered against what was replayed. The
 * replay goes out as the client reads it (a replay may be larger than the connection's buffer limit);
 * live events held meanwhile count against that limit.
 */
class ReplayingWriter {
  readonly #connection: SseConnection;
  readonly #endsOnResponse: boolean;
  readonly #maxHeldBytes: number;
  #held: StoredEvent[] | undefined = [];
  #heldBytes = 0;
  #backlog: StoredEvent[] | undefined;
  #next = 0;
  /** Ids of the replay (at most the store's count bound), kept to drop their late live copies. */
  readonly #replayed = new Set<string>();
  #draining = false;

  constructor(connection: SseConnection, endsOnResponse: boolean, maxHeldBytes: number) {
    this.#connection = connection;
    this.#endsOnResponse = endsOnResponse;
    this.#maxHeldBytes = maxHeldBytes;
  }

  live = (eventId: string | undefined, message: JsonRpcMessage): void => {
    // Appended before the replay was read but heard only after it went out: already sent.
    if (eventId !== undefined && this.#replayed.has(eventId)) return;
    if (this.#held === undefined || eventId === undefined) {
      this.#write(eventId, message);
      return;
    }
    this.#held.push({ id: eventId, message });
    this.#heldBytes += eventId.length + wireText(message).length;
    if (this.#heldBytes > this.#maxHeldBytes) {
      // The client is not reading its replay: end the connection; it resumes from the store.
      this.#held = [];
      this.#connection.close();
    }
  };

  /** The replay has gone out in full (what comes now is live). */
  get replayed(): boolean {
    return this.#held === undefined;
  }

  replay(events: StoredEvent[]): void {
    for (const event of events) this.#replayed.add(event.id);
    this.#backlog = events;
    this.drain();
  }

  /** Sends as much of the replay as the client has room for; once it is out, goes live. */
  drain = (): void => {
    const backlog = this.#backlog;
    // An offer can make the stream pull, which calls back here: the outer call carries on.
    if (backlog === undefined || this.#held === undefined || this.#draining) return;
    this.#draining = true;
    try {
      this.#drain(backlog, this.#held);
    } finally {
      this.#draining = false;
    }
  };

  #drain(backlog: StoredEvent[], held: StoredEvent[]): void {
    while (this.#next < backlog.length) {
      const event = backlog[this.#next] as StoredEvent;
      if (this.#connection.closed) return;
      if (!this.#connection.offer({ id: event.id, data: wireText(event.message) })) return;
      this.#next++;
      if (this.#endsOnResponse && isResponse(event.message)) {
        this.#connection.close();
        return;
      }
    }
    this.#held = undefined;
    this.#backlog = undefined;
    for (const event of held) if (!this.#replayed.has(event.id)) this.#write(event.id, event.message);
  }

  #write(eventId: string | undefined, message: JsonRpcMessage): void {
    if (this.#connection.closed) return;
    const data = wireText(message);
    this.#connection.send(eventId === undefined ? { data } : { id: eventId, data });
    // A POST stream is over once its response went out.
    if (this.#endsOnResponse && isResponse(message)) this.#connection.close();
  }
}

/** A connection and the writer that feeds it, wired so the writer continues when the client reads. */
function openConnection(
  config: HandlerConfig,
  headers: HeaderRecord,
  onClose: () => void,
  resumable: boolean,
  endsOnResponse: boolean,
): { connection: SseConnection; writer: ReplayingWriter } {
  let writer: ReplayingWriter | undefined;
  const connection = new SseConnection({
    headers,
    keepAliveIntervalMs: config.keepAliveIntervalMs,
    maxDurationMs: resumable ? config.maxStreamDurationMs : undefined,
    maxBufferedBytes: config.maxBufferedBytesPerStream,
    onClose,
    onDrain: () => writer?.drain(),
  });
  writer = new ReplayingWriter(connection, endsOnResponse, config.maxBufferedBytesPerStream);
  return { connection, writer };
}

/** 503 naming the limit: a capacity matter of this instance, which a retry (possibly elsewhere) may get past. */
function limitResponse(error: McpError, headers: HeaderRecord): Response {
  return rpcErrorResponse(503, error.code, error.message, { ...headers, "retry-after": "1" });
}

/**
 * The session's standalone stream: fresh, or resumed after `resumeFrom` (an event id of its log).
 * One per session on an instance (409 for a second), within the instance's stream limit.
 */
async function openStandalone(
  config: HandlerConfig,
  sessions: SessionRuntime,
  session: SessionRecord,
  headers: HeaderRecord,
  resumeFrom: string | undefined,
): Promise<Response> {
  if (sessions.hasStandalone(session.id)) {
    return rpcErrorResponse(
      409,
      ErrorCode.BadRequest,
      "Conflict: this session already has an open GET stream",
      headers,
    );
  }
  const release = sessions.reserveStream();
  if (release instanceof McpError) return limitResponse(release, headers);
  let detach = () => {};
  const { connection, writer } = openConnection(
    config,
    headers,
    () => {
      detach();
      release();
    },
    sessions.eventStore !== undefined,
    false,
  );
  try {
    // Live first, then the replay: an event appended in between is in one or both, and the writer
    // drops the copy the replay already carried.
    detach = await sessions.attachStandalone(session, {
      write: writer.live,
      close: () => connection.close(),
      subscriptions: new Set(session.subscriptions),
    });
    const replay = resumeFrom === undefined ? undefined : await sessions.eventStore?.replayAfter(resumeFrom);
    // An expired log has nothing left to replay: the stream goes on from now.
    writer.replay(replay?.streamId === standaloneStreamId(session.id) ? replay.events : []);
  } catch (error) {
    connection.close();
    throw error;
  }
  // The client may already have gone while the subscriptions were being set up.
  if (connection.closed) detach();
  return connection.response;
}

/**
 * Resumes the stream of one POST request: what was stored after `lastEventId`, then what follows,
 * until its response. The instance serving the request sends heartbeats while no connection carries
 * the stream; when neither an event nor a heartbeat comes for `requestHeartbeatTimeoutMs`, that
 * instance is gone (or the stream never existed) and the stream ends with an error for the request,
 * so the client can retry instead of waiting for ever.
 */
async function resumeRequestStream(
  config: HandlerConfig,
  sessions: SessionRuntime,
  eventStore: EventStore,
  streamId: string,
  requestId: RequestId | undefined,
  lastEventId: string,
  headers: HeaderRecord,
): Promise<Response> {
  const release = sessions.reserveStream();
  if (release instanceof McpError) return limitResponse(release, headers);
  let detach: () => Promise<void> = async () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const { connection, writer } = openConnection(
    config,
    headers,
    () => {
      clearTimeout(timer);
      release();
      detach().catch((e) => config.onError(e, {}));
    },
    true,
    true,
  );
  const expire = () => {
    // Still sending the replay to a slow reader: the connection is alive, the verdict can wait.
    if (!writer.replayed) return arm();
    if (requestId !== undefined) writer.live(undefined, errorResponse(requestId, INTERRUPTED));
    connection.close();
  };
  const arm = () => {
    clearTimeout(timer);
    if (!connection.closed) timer = setTimeout(expire, sessions.requestHeartbeatTimeoutMs);
  };
  try {
    detach = await sessions.live.attach(
      streamId,
      (eventId, message) => {
        arm();
        writer.live(eventId, message);
      },
      arm,
    );
    const replay = await eventStore.replayAfter(lastEventId);
    writer.replay(replay?.streamId === streamId ? replay.events : []);
  } catch (error) {
    connection.close();
    throw error;
  }
  if (connection.closed) await detach();
  else arm();
  return connection.response;
}

const INTERRUPTED = {
  code: ErrorCode.InternalError,
  message: "The request was interrupted: the server instance serving it is gone. Retry it.",
};

/** GET: the session's standalone stream, or with `Last-Event-ID` the resumption of any of its streams. */
export async function handleGet(
  config: HandlerConfig,
  sessions: SessionRuntime,
  request: Request,
  session: SessionRecord,
  headers: HeaderRecord,
): Promise<Response> {
  const lastEventId = request.headers.get(Header.LastEventId);
  const eventStore = sessions.eventStore;
  if (lastEventId === null || !eventStore) return openStandalone(config, sessions, session, headers, undefined);

  // Event ids are `<streamId>_<position>` (see EventStore). What the id names decides the stream;
  // anything else (another session's, made up) is ignored: a fresh standalone stream, under its limits.
  const streamId = lastEventId.slice(0, Math.max(0, lastEventId.lastIndexOf("_")));
  if (streamId === standaloneStreamId(session.id))
    return openStandalone(config, sessions, session, headers, lastEventId);
  const post = parsePostStreamId(streamId, session.id);
  if (!post) return openStandalone(config, sessions, session, headers, undefined);
  return resumeRequestStream(config, sessions, eventStore, streamId, post.requestId, lastEventId, headers);
}
