/**
 * Which object holds what, and the requests the Worker sends it. Everything of one session lives in
 * the object named by its id: the record, the logs of its streams (stream ids are
 * `<sessionId>.<suffix>`), and its channels (`session:<id>`, `stream:<streamId>`). The broadcast
 * registry and any other channel have objects of their own.
 */

/** The object that holds the logs of `streamId`: its session's. */
export function streamOwner(streamId: string): string {
  const dot = streamId.indexOf(".");
  return dot > 0 ? streamId.slice(0, dot) : streamId;
}

const SESSION_CHANNEL = "session:";
const STREAM_CHANNEL = "stream:";

/**
 * The object that carries `channel`, and whether that is a session's own object (which keeps a
 * message for a reconnecting subscriber only while the session exists, so nothing outlives a DELETE).
 */
export function channelOwner(channel: string): { name: string; session: boolean } {
  if (channel.startsWith(SESSION_CHANNEL)) return { name: channel.slice(SESSION_CHANNEL.length), session: true };
  if (channel.startsWith(STREAM_CHANNEL)) {
    return { name: streamOwner(channel.slice(STREAM_CHANNEL.length)), session: true };
  }
  return { name: `channel:${channel}`, session: false };
}

/** The object that keeps which streams listen for broadcasts. */
export const REGISTRY = "registry";

/** The operations an object answers, each one `POST /<op>` with a JSON body. */
export const Op = {
  getEx: "session/get",
  set: "session/set",
  expire: "session/expire",
  del: "session/delete",
  append: "events/append",
  appendAll: "events/append-all",
  range: "events/range",
  register: "listeners/register",
  replace: "listeners/replace",
  unregister: "listeners/unregister",
  members: "listeners/members",
  values: "listeners/values",
  publish: "channel/publish",
  subscribe: "channel/subscribe",
} as const;

export type OpName = (typeof Op)[keyof typeof Op];

/** A frame the object sends a subscriber: a message with its sequence number, or one piece of a large one. */
export type ChannelFrame =
  | { s: number; m: string }
  | { s: number; part: number; of: number; d: string }
  /** Sent first: the sequence number a reconnect resumes after, when no message came yet. */
  | { hello: number };

/** The text a subscriber sends to check its socket, and the answer; answered without waking the object. */
export const PING = "ping";
export const PONG = "pong";
