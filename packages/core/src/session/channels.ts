import type { JsonRpcMessage, JsonRpcResponse, RequestId } from "../protocol/jsonrpc.js";

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
  | { t: "msg"; m: JsonRpcMessage; e?: string }
  /** The client's answer to a server-to-client request. */
  | { t: "reply"; m: JsonRpcResponse }
  /** The client cancelled one of its requests. */
  | { t: "cancel"; id: RequestId }
  /** The session's resource subscriptions changed. */
  | { t: "subs"; s: string[] }
  /** The session ended (DELETE). */
  | { t: "end" };

export type StreamEnvelope = { e: string; m: JsonRpcMessage };

export type BroadcastEnvelope = { t: "all"; m: JsonRpcMessage } | { t: "resource"; uri: string; m: JsonRpcMessage };

/** The standalone GET stream of a session; POST streams are `<sessionId>.<random>`. */
export function standaloneStreamId(sessionId: string): string {
  return `${sessionId}.get`;
}

export function belongsToSession(streamId: string, sessionId: string): boolean {
  return streamId.startsWith(`${sessionId}.`);
}
