import type { JsonRpcMessage, JsonRpcResponse, RequestId } from "../protocol/jsonrpc.js";
import { newShortId } from "./session-id.js";

/**
 * Storage backends add their own key prefix (e.g. `mcp:`), so these names carry none.
 *
 * Names and envelopes of what instances tell each other through the StreamManager. One place, so
 * every backend and every instance agree on the wire shape.
 */
export const Channel = {
  /** Everything addressed to one session: messages for its GET stream, replies, cancels, changes. */
  session: (sessionId: string) => `session:${sessionId}`,
  /** Events of one resumable stream, for whoever resumed it. */
  stream: (streamId: string) => `stream:${streamId}`,
  /** Server-wide broadcasts (list_changed, resource updates). */
  broadcast: "broadcast",
} as const;

export type SessionEnvelope =
  /** A message for the session's standalone GET stream, with its event id when replay is on. */
  | { type: "msg"; message: JsonRpcMessage; eventId?: string }
  /** The client's answer to a server-to-client request. */
  | { type: "reply"; message: JsonRpcResponse }
  /** The client cancelled one of its requests. */
  | { type: "cancel"; requestId: RequestId }
  /** The session's resource subscriptions changed. */
  | { type: "subs"; subscriptions: string[] }
  /** The session ended (DELETE). */
  | { type: "end" }
  /**
   * A GET stream for the session opened on some instance (`attachId` tells which): a stream for it held
   * anywhere else ends, so a session has one standalone stream across instances as within one.
   */
  | { type: "attached"; attachId: string };

export type StreamEnvelope =
  /** An event of the stream, with its id in the event store. */
  | { eventId: string; message: JsonRpcMessage }
  /** The request is still being served (its instance is alive) though no connection carries its stream. */
  | { type: "beat" };

export type BroadcastEnvelope =
  /**
   * Logged broadcasts: the message, the event id it got in each listening stream's log, and for a
   * resource update its URI (a holder logs it itself for a stream the publisher's store did not list).
   */
  | { type: "log"; message: JsonRpcMessage; logged: [streamId: string, eventId: string][]; uri?: string }
  /** Without an event store nothing is logged: holders write to their streams (those subscribed to `uri`). */
  | { type: "all"; message: JsonRpcMessage }
  | { type: "resource"; uri: string; message: JsonRpcMessage };

const STANDALONE = "get";

/** The standalone GET stream of a session; POST streams are `<sessionId>.<random>[.<request id>]`. */
export function standaloneStreamId(sessionId: string): string {
  return `${sessionId}.${STANDALONE}`;
}

/** The session of a standalone stream id, or undefined when it is not one. */
export function standaloneSession(streamId: string): string | undefined {
  return streamId.endsWith(`.${STANDALONE}`) ? streamId.slice(0, -STANDALONE.length - 1) : undefined;
}

/**
 * Encoded request ids longer than this are left out of the stream id (which every event id repeats):
 * such a stream still ends when its instance dies, only without an error naming the request.
 */
const MAX_ENCODED_REQUEST_ID = 96;
const RANDOM = /^[0-9a-f]{18}$/;
const NUMBER = /^-?[0-9][0-9.e+-]*$/;
const HEX = /^(?:[0-9a-f]{2})*$/;

/**
 * Event ids are split at their last `_`, and clients send them back in a header: the request id is
 * carried as `n<number>` or `s<hex of its UTF-8>`, which holds neither `_` nor anything a header cannot.
 */
function encodeRequestId(id: RequestId): string | undefined {
  let encoded: string;
  if (typeof id === "number") {
    encoded = `n${String(id)}`;
  } else {
    encoded = "s";
    for (const byte of new TextEncoder().encode(id)) encoded += byte.toString(16).padStart(2, "0");
  }
  return encoded.length <= MAX_ENCODED_REQUEST_ID ? encoded : undefined;
}

function decodeRequestId(encoded: string): RequestId | undefined {
  const body = encoded.slice(1);
  if (encoded.startsWith("n") && NUMBER.test(body)) {
    const value = Number(body);
    return Number.isFinite(value) && String(value) === body ? value : undefined;
  }
  if (encoded.startsWith("s") && HEX.test(body)) {
    const bytes = new Uint8Array(body.length / 2);
    for (let at = 0; at < bytes.length; at++) bytes[at] = Number.parseInt(body.slice(2 * at, 2 * at + 2), 16);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A new POST stream id for one request of a session; the request id rides along so any instance can answer for it. */
export function newPostStreamId(sessionId: string, requestId: RequestId | undefined): string {
  const encoded = requestId === undefined ? undefined : encodeRequestId(requestId);
  return encoded === undefined ? `${sessionId}.${newShortId()}` : `${sessionId}.${newShortId()}.${encoded}`;
}

/**
 * What a POST stream id of `sessionId` says: `undefined` when it is not one (made up, or the
 * standalone stream), else the request it answers (`requestId` absent when it was not recorded).
 */
export function parsePostStreamId(streamId: string, sessionId: string): { requestId?: RequestId } | undefined {
  if (!belongsToSession(streamId, sessionId)) return undefined;
  const rest = streamId.slice(sessionId.length + 1);
  const dot = rest.indexOf(".");
  const random = dot < 0 ? rest : rest.slice(0, dot);
  if (!RANDOM.test(random)) return undefined;
  if (dot < 0) return {};
  const requestId = decodeRequestId(rest.slice(dot + 1));
  return requestId === undefined ? undefined : { requestId };
}

export function belongsToSession(streamId: string, sessionId: string): boolean {
  return streamId.startsWith(`${sessionId}.`);
}
