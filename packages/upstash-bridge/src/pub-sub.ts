import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, unavailable } from "./http-error.js";
import type { UpstashBridgeOptions } from "./options.js";
import { makeClient } from "./redis-link.js";

/** Subscribe requests relayed as server-sent events, each over a Redis connection of its own. */
export class Subscriptions {
  readonly #options: UpstashBridgeOptions;
  /** Adds the headers every answer carries (the sync token). */
  readonly #stamp: (res: ServerResponse) => void;
  readonly #streams = new Set<() => void>();

  constructor(options: UpstashBridgeOptions, stamp: (res: ServerResponse) => void) {
    this.#options = options;
    this.#stamp = stamp;
  }

  /** Ends every open stream; their Redis connections close, which unsubscribes. */
  endAll(): void {
    for (const end of [...this.#streams]) end();
  }

  /**
   * `POST /subscribe/<channel>[/<channel>...]` or `/psubscribe/<pattern>...`: a Redis connection of
   * the request's own, subscribed, relayed as server-sent events until the client goes away (then
   * the connection is closed, which unsubscribes) or Redis does (then the stream ends, so the
   * client knows to reconnect). The first event is sent only once Redis confirmed the
   * subscription, so a client that has read it can publish and be sure to receive.
   */
  async relay(
    req: IncomingMessage,
    res: ServerResponse,
    kind: "subscribe" | "psubscribe",
    names: string[],
  ): Promise<void> {
    if (names.length === 0) throw new HttpError(400, `ERR ${kind} needs at least one channel or pattern`);
    req.resume();
    const link = makeClient(this.#options.redisUrl, false);
    let ended = false;
    let streaming = false;
    let clientGone = false;
    let keepAlive: NodeJS.Timeout | undefined;
    const end = () => {
      if (ended) return;
      ended = true;
      this.#streams.delete(end);
      if (keepAlive) clearInterval(keepAlive);
      link.destroy();
      // Before the stream started, the caller still answers with an error status.
      if (streaming && !res.writableEnded) res.end();
    };
    this.#streams.add(end);
    res.once("close", () => {
      clientGone = true;
      end();
    });
    link.on("error", end);
    link.on("end", end);

    const write = (fields: string[], payload: string) => {
      if (ended) return;
      // Event data cannot hold a line break; a payload with some goes out as several `data:` lines,
      // which SSE clients join back with "\n".
      const [head = "", ...more] = payload.split(/\r\n|\r|\n/);
      let event = `data: ${[...fields, head].join(",")}\n`;
      for (const line of more) event += `data: ${line}\n`;
      res.write(`${event}\n`);
    };

    let failure: unknown;
    try {
      await link.connect();
      for (const name of names) {
        if (kind === "subscribe") {
          await link.SUBSCRIBE(
            name,
            (message: Buffer, channel: Buffer) =>
              write(["message", channel.toString("utf8")], message.toString("utf8")),
            true,
          );
        } else {
          await link.PSUBSCRIBE(
            name,
            (message: Buffer, channel: Buffer) =>
              write(["pmessage", name, channel.toString("utf8")], message.toString("utf8")),
            true,
          );
        }
      }
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined || ended) {
      end();
      if (clientGone) return;
      throw unavailable(failure ?? new Error("the connection to redis-server closed"));
    }
    streaming = true;
    this.#stamp(res);
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    names.forEach((name, n) => {
      write([kind, name], String(n + 1));
    });
    const interval = this.#options.keepAliveMs ?? 15_000;
    if (interval > 0) {
      keepAlive = setInterval(() => {
        if (!ended) res.write(": keepalive\n\n");
      }, interval);
      keepAlive.unref();
    }
  }
}
