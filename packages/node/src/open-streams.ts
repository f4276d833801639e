import { type EndableStream, endableStream } from "./endable-stream.js";

/**
 * The SSE bodies a server has open. A shutdown ends them all instead of waiting for streams that never
 * finish, and a stream that starts once the shutdown has begun is ended at once.
 */
export class OpenStreams {
  readonly #streams = new Set<EndableStream>();
  #ended = false;

  /** Pass `source` through a stream that `endAll` can end. */
  open(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const endable = endableStream(source, this.#streams);
    if (this.#ended) endable.end();
    return endable.stream;
  }

  endAll(): void {
    this.#ended = true;
    for (const stream of this.#streams) stream.end();
  }
}
