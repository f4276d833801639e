import type { Expiry } from "./object-expiry.js";
import { bufferKey, bufferPrefix, keySeq } from "./object-keys.js";
import type { HibernatableSocket, ObjectState } from "./platform.js";
import type { ChannelFrame } from "./routing.js";

/** How long a message published while no subscriber was connected waits for one to reconnect. */
export const BUFFER_RETENTION_MS = 30_000;
/**
 * Largest frame text; bigger messages go in pieces. A WebSocket message to or from an object may be
 * at most 1 MiB, and this many UTF-16 units are at most 768 KiB of UTF-8.
 */
const FRAME_CHARS = 256 * 1024;

/** Longest message kept for a reconnecting subscriber (one storage row holds at most 2 MB of UTF-8). */
const BUFFER_ROW_CHARS = 512 * 1024;

/** Sequence numbers are the publish time in microseconds: they keep rising across restarts of the object. */
export const seqTime = (seq: number) => Math.floor(seq / 1000);

interface Attachment {
  channel: string;
}

/** Tags are limited in length; the channel in each socket's attachment is what decides. */
const tagOf = (channel: string) => channel.slice(0, 200);

/**
 * The channels an object carries: subscribers are WebSockets accepted with the Hibernation API, so an
 * object whose subscribers are all idle is evicted from memory while they stay connected; a publish
 * wakes it, sends, and it sleeps again.
 */
export class Channels {
  readonly #state: ObjectState;
  readonly #expiry: Expiry;
  #seq = 0;

  constructor(state: ObjectState, expiry: Expiry) {
    this.#state = state;
    this.#expiry = expiry;
  }

  /** Subscribes `socket` to `channel`; a reconnect passes the last number it saw and gets what it missed. */
  async accept(socket: HibernatableSocket, channel: string, after: number | undefined): Promise<void> {
    this.#state.acceptWebSocket(socket, [tagOf(channel)]);
    socket.serializeAttachment({ channel } satisfies Attachment);
    if (after === undefined) {
      send(socket, { hello: this.#now() });
      return;
    }
    const missed = await this.#state.storage.list<string>({
      start: bufferKey(channel, after + 1),
      prefix: bufferPrefix(channel),
    });
    for (const [key, message] of missed) sendMessage(socket, keySeq(key), message);
    if (missed.size === 0) send(socket, { hello: Math.max(after, this.#now()) });
  }

  /**
   * Sends to every subscriber of `channel`. With none connected (between an object restart and their
   * reconnect) the message is kept for `BUFFER_RETENTION_MS`, if `keep` allows.
   */
  async publish(channel: string, message: string, keep: () => Promise<boolean>): Promise<void> {
    const seq = this.#next();
    const sockets = this.#state
      .getWebSockets(tagOf(channel))
      .filter((socket) => (socket.deserializeAttachment() as Attachment | null)?.channel === channel);
    if (sockets.length > 0) {
      for (const socket of sockets) sendMessage(socket, seq, message);
      return;
    }
    // A message too large for one storage row is not kept: it reaches connected subscribers only.
    if (message.length > BUFFER_ROW_CHARS || !(await keep())) return;
    await this.#state.storage.put({ [bufferKey(channel, seq)]: message });
    await this.#expiry.before(seqTime(seq) + BUFFER_RETENTION_MS);
  }

  #now(): number {
    this.#seq = Math.max(this.#seq, Date.now() * 1000);
    return this.#seq;
  }

  #next(): number {
    this.#seq = Math.max(this.#seq + 1, Date.now() * 1000);
    return this.#seq;
  }
}

function send(socket: HibernatableSocket, frame: ChannelFrame): void {
  try {
    socket.send(JSON.stringify(frame));
  } catch {
    // A socket that closed meanwhile: its subscriber reconnects and is sent what it missed.
  }
}

function sendMessage(socket: HibernatableSocket, seq: number, message: string): void {
  if (message.length <= FRAME_CHARS) {
    send(socket, { s: seq, m: message });
    return;
  }
  const of = Math.ceil(message.length / FRAME_CHARS);
  for (let part = 0; part < of; part++) {
    send(socket, { s: seq, part, of, d: message.slice(part * FRAME_CHARS, (part + 1) * FRAME_CHARS) });
  }
}
