import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import { Channel, type StreamEnvelope } from "./channels.js";
import type { StreamManager } from "./types.js";

export type StreamSink = (eventId: string, message: JsonRpcMessage) => void;

/**
 * Where the events of a resumable stream go once its first connection has ended: to the
 * connection that resumed it, on this instance or another. While such a stream's request is still
 * running, its instance also sends heartbeats, so a resumer can tell a slow request from one whose
 * instance is gone.
 *
 * Both always travel through the StreamManager, even when the resumer is held on this instance: the
 * subscription delivers them inside the request that resumed the stream, which on Workers is the only
 * one allowed to write to its connection and to end it (and with it the subscription it opened).
 */
export class LiveStreams {
  readonly #streamManager: StreamManager;

  constructor(streamManager: StreamManager) {
    this.#streamManager = streamManager;
  }

  async attach(streamId: string, sink: StreamSink, onBeat: () => void = () => {}): Promise<() => Promise<void>> {
    return this.#streamManager.subscribe(Channel.stream(streamId), (raw) => {
      const envelope = JSON.parse(raw) as StreamEnvelope;
      if ("type" in envelope) onBeat();
      else sink(envelope.eventId, envelope.message);
    });
  }

  async deliver(streamId: string, eventId: string, message: JsonRpcMessage): Promise<void> {
    const envelope: StreamEnvelope = { eventId, message };
    await this.#streamManager.publish(Channel.stream(streamId), JSON.stringify(envelope));
  }

  /** The request of `streamId` is still being served here. */
  async beat(streamId: string): Promise<void> {
    const envelope: StreamEnvelope = { type: "beat" };
    await this.#streamManager.publish(Channel.stream(streamId), JSON.stringify(envelope));
  }
}
