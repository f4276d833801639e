import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import { Channel, type StreamEnvelope } from "./channels.js";
import type { StreamManager } from "./types.js";

export type StreamSink = (eventId: string, message: JsonRpcMessage) => void;

/** Whoever resumed a stream: its events, and the heartbeats that say its request is still being served. */
interface Resumer {
  sink: StreamSink;
  onBeat: () => void;
}

/**
 * Where the events of a resumable stream go once its first connection has ended: to the
 * connection that resumed it, on this instance or (through the StreamManager) on another. While
 * such a stream's request is still running, its instance also sends heartbeats, so a resumer can
 * tell a slow request from one whose instance is gone.
 */
export class LiveStreams {
  readonly #resumers = new Map<string, Resumer>();
  readonly #streamManager: StreamManager;

  constructor(streamManager: StreamManager) {
    this.#streamManager = streamManager;
  }

  async attach(streamId: string, sink: StreamSink, onBeat: () => void = () => {}): Promise<() => Promise<void>> {
    const resumer: Resumer = { sink, onBeat };
    this.#resumers.set(streamId, resumer);
    let unsubscribe: () => Promise<void>;
    try {
      unsubscribe = await this.#streamManager.subscribe(Channel.stream(streamId), (raw) => {
        const envelope = JSON.parse(raw) as StreamEnvelope;
        if ("type" in envelope) onBeat();
        else sink(envelope.eventId, envelope.message);
      });
    } catch (error) {
      if (this.#resumers.get(streamId) === resumer) this.#resumers.delete(streamId);
      throw error;
    }
    return async () => {
      if (this.#resumers.get(streamId) === resumer) this.#resumers.delete(streamId);
      await unsubscribe();
    };
  }

  async deliver(streamId: string, eventId: string, message: JsonRpcMessage): Promise<void> {
    const resumer = this.#resumers.get(streamId);
    if (resumer) {
      resumer.sink(eventId, message);
      return;
    }
    const envelope: StreamEnvelope = { eventId, message };
    await this.#streamManager.publish(Channel.stream(streamId), JSON.stringify(envelope));
  }

  /** The request of `streamId` is still being served here. */
  async beat(streamId: string): Promise<void> {
    const resumer = this.#resumers.get(streamId);
    if (resumer) {
      resumer.onBeat();
      return;
    }
    const envelope: StreamEnvelope = { type: "beat" };
    await this.#streamManager.publish(Channel.stream(streamId), JSON.stringify(envelope));
  }
}
