/** One server-sent event as a client sees it (comment lines skipped). */
export interface SseEvent<M = unknown> {
  id?: string;
  retry?: number;
  /** The joined `data:` lines ("" for a priming event). */
  data: string;
  /** `data` parsed as JSON, when it is not empty and parses. */
  message?: M;
}

/** Parses one event block (the text between blank lines); undefined for a block of comments only. */
export function parseSseEvent<M = unknown>(block: string): SseEvent<M> | undefined {
  let id: string | undefined;
  let retry: number | undefined;
  const data: string[] = [];
  let sawField = false;
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    sawField = true;
    if (field === "id") id = value;
    else if (field === "retry") retry = Number(value);
    else if (field === "data") data.push(value);
  }
  if (!sawField) return undefined;
  const event: SseEvent<M> = { data: data.join("\n") };
  if (id !== undefined) event.id = id;
  if (retry !== undefined) event.retry = retry;
  if (event.data !== "") {
    try {
      event.message = JSON.parse(event.data) as M;
    } catch {
      // Left unparsed: a test that checks the framing reads `data` and reports it.
    }
  }
  return event;
}

/** A stream of bytes, from this realm's fetch or another implementation's (miniflare, undici). */
export interface ByteStream {
  getReader(): ReadableStreamDefaultReader<Uint8Array>;
}

export interface SseReaderOptions {
  /** Treat a failed read (the connection reset) as the end of the stream instead of rejecting. */
  endOnError?: boolean;
}

/** Reads SSE events off a response body one at a time, as they arrive, the way a client does. */
export class SseReader<M = unknown> {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  readonly #endOnError: boolean;
  #buffer = "";
  #ended = false;
  /** Every event read so far. */
  readonly events: SseEvent<M>[] = [];

  constructor(source: { readonly body: ByteStream | null } | ByteStream, options: SseReaderOptions = {}) {
    const body = "getReader" in source ? source : source.body;
    if (!body) throw new Error("response has no body");
    this.#reader = body.getReader();
    this.#endOnError = options.endOnError ?? false;
  }

  /** True once the stream has ended (by either side). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The next event, or undefined once the stream has ended. */
  async next(): Promise<SseEvent<M> | undefined> {
    for (;;) {
      const boundary = /\r?\n\r?\n/.exec(this.#buffer);
      if (boundary) {
        const block = this.#buffer.slice(0, boundary.index);
        this.#buffer = this.#buffer.slice(boundary.index + boundary[0].length);
        const event = parseSseEvent<M>(block);
        if (event) {
          this.events.push(event);
          return event;
        }
        continue;
      }
      if (this.#ended) return undefined;
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await this.#reader.read();
      } catch (error) {
        this.#ended = true;
        if (this.#endOnError) continue;
        throw error;
      }
      if (chunk.done) this.#ended = true;
      else this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next event that carries data (priming events are skipped), or undefined at the end. */
  async nextMessage(): Promise<SseEvent<M> | undefined> {
    for (;;) {
      const event = await this.next();
      if (event?.data.trim() !== "") return event;
    }
  }

  /** The parsed data of the next event that carries any, or undefined at the end. */
  async nextData(): Promise<M | undefined> {
    return (await this.nextMessage())?.message;
  }

  /** Events up to and including the first that satisfies `found`; throws if the stream ends first. */
  async until(found: (event: SseEvent<M>) => boolean, what = "the expected event"): Promise<SseEvent<M>[]> {
    const seen: SseEvent<M>[] = [];
    for (;;) {
      const event = await this.next();
      if (!event) {
        throw new Error(`the stream ended before ${what}; saw ${JSON.stringify(seen.map((e) => e.data))}`);
      }
      seen.push(event);
      if (found(event)) return seen;
    }
  }

  /** Every remaining event, once the stream ends. */
  async rest(): Promise<SseEvent<M>[]> {
    const out: SseEvent<M>[] = [];
    for (let event = await this.next(); event; event = await this.next()) out.push(event);
    return out;
  }

  /** Closes the stream from the client's side, whatever state it is in. */
  async cancel(): Promise<void> {
    this.#ended = true;
    await this.#reader.cancel();
  }
}

/** The parsed data of every event in a complete SSE body (events without data, like priming events, have none). */
export function sseMessages<M = unknown>(body: string): M[] {
  return body.split(/\r?\n\r?\n/).flatMap((block) => {
    const message = parseSseEvent<M>(block)?.message;
    return message === undefined ? [] : [message];
  });
}
