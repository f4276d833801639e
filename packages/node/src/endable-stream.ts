/** A pass-through body the server can end on its own, so a shutdown need not wait for an SSE stream to finish. */
export interface EndableStream {
  readonly stream: ReadableStream<Uint8Array>;
  /** End the body cleanly (the client sees a normal end of stream and may reconnect) and cancel the source. */
  end(): void;
}

/**
 * Pass `source` through a stream the server can end on shutdown. Pull-based with no queue of its own
 * (highWaterMark 0), so each chunk is read from the source only when the socket wants one: no buffering
 * and no loss of backpressure. The stream is in `registry` from now until it finishes, however it finishes.
 */
export function endableStream(source: ReadableStream<Uint8Array>, registry: Set<EndableStream>): EndableStream {
  const reader = source.getReader();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let done = false;

  const finish = () => {
    done = true;
    registry.delete(endable);
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      async pull(c) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          if (!done) {
            finish();
            c.error(error);
          }
          return;
        }
        // end() may have run while the read was pending; the stream is already closed then.
        if (done) return;
        if (result.done) {
          finish();
          c.close();
        } else {
          c.enqueue(result.value);
        }
      },
      cancel(reason) {
        // The client went away (the Node side cancels the body): pass that on to the handler's stream.
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );

  const endable: EndableStream = {
    stream,
    end() {
      if (done) return;
      finish();
      controller.close();
      reader.cancel("server shutting down").catch(() => {});
    },
  };
  registry.add(endable);
  return endable;
}
