import { ErrorCode, Header } from "../protocol/constants.js";
import { isResponse, type JsonRpcMessage } from "../protocol/jsonrpc.js";
import { belongsToSession, standaloneStreamId } from "../session/channels.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { SessionRecord, StoredEvent } from "../session/types.js";
import type { HandlerConfig } from "./config.js";
import { type HeaderRecord, rpcErrorResponse } from "./responses.js";
import { SseConnection } from "./sse.js";

/**
 * Writes replayed events, then live ones, to one connection without duplicates: live events that
 * arrive while the replay is read are held back and then filtered against what was replayed.
 */
class ReplayingWriter {
  readonly #connection: SseConnection;
  readonly #endsOnResponse: boolean;
  #buffer: StoredEvent[] | undefined = [];
  readonly #replayed = new Set<string>();

  constructor(connection: SseConnection, endsOnResponse: boolean) {
    this.#connection = connection;
    this.#endsOnResponse = endsOnResponse;
  }

  live = (eventId: string | undefined, message: JsonRpcMessage): void => {
    if (this.#buffer && eventId !== undefined) this.#buffer.push({ id: eventId, message });
    else this.#write(eventId, message);
  };

  replay(events: StoredEvent[]): void {
    for (const event of events) {
      this.#replayed.add(event.id);
      this.#write(event.id, event.message);
    }
    const held = this.#buffer ?? [];
    this.#buffer = undefined;
    for (const event of held) if (!this.#replayed.has(event.id)) this.#write(event.id, event.message);
  }

  #write(eventId: string | undefined, message: JsonRpcMessage): void {
    if (this.#connection.closed) return;
    this.#connection.send(
      eventId === undefined ? { data: JSON.stringify(message) } : { id: eventId, data: JSON.stringify(message) },
    );
    // A POST stream is over once its response went out.
    if (this.#endsOnResponse && isResponse(message)) this.#connection.close();
  }
}

function openConnection(
  config: HandlerConfig,
  headers: HeaderRecord,
  onClose: () => void,
  resumable: boolean,
): SseConnection {
  return new SseConnection({
    headers,
    keepAliveIntervalMs: config.keepAliveIntervalMs,
    maxDurationMs: resumable ? config.maxStreamDurationMs : undefined,
    onClose,
  });
}

async function openStandalone(
  config: HandlerConfig,
  sessions: SessionRuntime,
  session: SessionRecord,
  headers: HeaderRecord,
  replay: StoredEvent[],
): Promise<Response> {
  if (sessions.hasStandalone(session.id)) {
    return rpcErrorResponse(
      409,
      ErrorCode.BadRequest,
      "Conflict: this session already has an open GET stream",
      headers,
    );
  }
  let detach = () => {};
  const connection = openConnection(config, headers, () => detach(), sessions.eventStore !== undefined);
  const writer = new ReplayingWriter(connection, false);
  detach = await sessions.attachStandalone(session.id, {
    write: writer.live,
    close: () => connection.close(),
    subscriptions: new Set(session.subscriptions),
  });
  // The client may already have gone while the subscriptions were being set up.
  if (connection.closed) detach();
  writer.replay(replay);
  return connection.response;
}

/** GET: the session's standalone stream, or with `Last-Event-ID` the resumption of any of its streams. */
export async function handleGet(
  config: HandlerConfig,
  request: Request,
  session: SessionRecord,
  headers: HeaderRecord,
): Promise<Response> {
  const sessions = config.sessions;
  if (!sessions) throw new Error("GET stream without a session runtime");
  const lastEventId = request.headers.get(Header.LastEventId);
  const eventStore = sessions.eventStore;
  if (lastEventId === null || !eventStore) return openStandalone(config, sessions, session, headers, []);

  const replay = await eventStore.replayAfter(lastEventId);
  // Unknown, expired or another session's id: never replay what is not this session's.
  if (!replay || !belongsToSession(replay.streamId, session.id))
    return openStandalone(config, sessions, session, headers, []);
  if (replay.streamId === standaloneStreamId(session.id))
    return openStandalone(config, sessions, session, headers, replay.events);

  let detach: () => Promise<void> = async () => {};
  const connection = openConnection(config, headers, () => void detach().catch((e) => config.onError(e, {})), true);
  const writer = new ReplayingWriter(connection, true);
  detach = await sessions.live.attach(replay.streamId, writer.live);
  writer.replay(replay.events);
  if (connection.closed) await detach();
  return connection.response;
}
