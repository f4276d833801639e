import { type EndableStream, endableStream } from "./endable-stream.js";

/**
 * The SSE bodies a server has open. A shutdown ends them all instead of waiting for streams that never
 * finish, and a stream that starts once the shutdown has begun is ended at once.
 */
export class OpenStreams {
  readonly #streams = new Set<EndableStream>();
  readonly #closeOwner: (() => Promise<void>) | undefined;
  #ended = false;

  /** `closeOwner`: the handler's own close(), for handlers that end their streams themselves. */
  constructor(closeOwner?: () => Promise<void>) {
    this.#closeOwner = closeOwner;
  }

  /** True when the handler ends its own streams, so bodies need no wrapping. */
  get ownedByHandler(): boolean {
    return this.#closeOwner !== undefined;
  }

  /** Pass `source` through a stream that `endAll` can end. */
  open(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const endable = endableStream(source, this.#streams);
    if (this.#ended) endable.end();
    return endable.stream;
  }

  endAll(): void {
    this.#ended = true;
    for (const stream of this.#streams) stream.end();
    this.#closeOwner?.().catch((error: unknown) => console.error("@mcp-edge/node: closing the handler failed", error));
  }
}
