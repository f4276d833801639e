import type { JsonRpcMessage } from "../protocol/jsonrpc.js";
import { Channel, type StreamEnvelope } from "./channels.js";
import type { StreamManager } from "./types.js";

export type StreamSink = (eventId: string, message: JsonRpcMessage) => void;

/**
 * Where the events of a resumable stream go once its first connection has ended: to the
 * connection that resumed it, on this instance or (through the StreamManager) on another.
 */
export class LiveStreams {
  readonly #sinks = new Map<string, StreamSink>();
  readonly #streamManager: StreamManager;

  constructor(streamManager: StreamManager) {
    this.#streamManager = streamManager;
  }

  async attach(streamId: string, sink: StreamSink): Promise<() => Promise<void>> {
    this.#sinks.set(streamId, sink);
    const unsubscribe = await this.#streamManager.subscribe(Channel.stream(streamId), (raw) => {
      const envelope = JSON.parse(raw) as StreamEnvelope;
      sink(envelope.e, envelope.m);
    });
    return async () => {
      if (this.#sinks.get(streamId) === sink) this.#sinks.delete(streamId);
      await unsubscribe();
    };
  }

  async deliver(streamId: string, eventId: string, message: JsonRpcMessage): Promise<void> {
    const sink = this.#sinks.get(streamId);
    if (sink) {
      sink(eventId, message);
      return;
    }
    const envelope: StreamEnvelope = { e: eventId, m: message };
    await this.#streamManager.publish(Channel.stream(streamId), JSON.stringify(envelope));
  }
}
