import { ErrorReply } from "redis";
import { isBlocking, refusal } from "./command-rules.js";
import { type Encoding, encodeReply, type JsonValue } from "./encoding.js";
import { HttpError, unavailable } from "./http-error.js";
import { AS_BYTES, makeClient, type RedisLink } from "./redis-link.js";

/** What one command came to: its reply, or the error Redis answered with. */
export type Outcome = { result: JsonValue } | { error: string };

/** Runs the REST API's commands on Redis: single ones, pipelines and transactions. */
export class CommandRunner {
  readonly #redis: RedisLink;
  readonly #redisUrl: string;

  constructor(redis: RedisLink, redisUrl: string) {
    this.#redis = redis;
    this.#redisUrl = redisUrl;
  }

  /** One command; a blocking one runs on a connection of its own. */
  async single(args: string[], encoding: Encoding): Promise<Outcome> {
    const refused = refusal(args);
    if (refused) throw new HttpError(400, refused);
    const [outcome] = isBlocking(args)
      ? await this.#isolated((link) => run(link, [args], encoding))
      : await run(this.#redis, [args], encoding);
    return outcome as Outcome;
  }

  /** Every command written before any reply is read: one round trip to Redis. */
  pipeline(commands: string[][], encoding: Encoding): Promise<Outcome[]> {
    return commands.some(isBlocking)
      ? this.#isolated((link) => run(link, commands, encoding))
      : run(this.#redis, commands, encoding);
  }

  /**
   * A real MULTI/EXEC. node-redis's own `multi()` decodes EXEC's reply as text, losing the bytes the
   * base64 encoding needs, so the commands are sent raw. node-redis (6.3.1) queues what
   * `sendCommand` is given synchronously, so MULTI, the commands and EXEC, issued in one
   * synchronous block, reach Redis back to back: no other request's command can fall in between.
   */
  async transaction(commands: string[][], encoding: Encoding): Promise<Outcome[]> {
    const link = this.#redis;
    const multi = settle(link.sendCommand(["MULTI"]));
    const queued = commands.map((args) => settle(link.sendCommand(args)));
    const exec = settle(link.sendCommand(["EXEC"], AS_BYTES));
    const [began, each, done] = await Promise.all([multi, Promise.all(queued), exec]);
    for (const outcome of [began, ...each, done]) {
      if ("error" in outcome && !(outcome.error instanceof ErrorReply)) throw unavailable(outcome.error);
    }
    if ("error" in done) {
      // EXECABORT: a command was refused while queuing (syntax, arity); nothing ran.
      const cause = each.find((outcome): outcome is { error: unknown } => "error" in outcome);
      const detail = cause && cause.error instanceof Error ? ` ${cause.error.message}` : "";
      throw new HttpError(400, `${errorText(done.error)}${detail}`);
    }
    if (!Array.isArray(done.value)) throw new HttpError(400, "EXECABORT the transaction was aborted");
    return done.value.map((reply: unknown) =>
      reply instanceof Error ? { error: reply.message } : { result: encodeReply(reply, encoding) },
    );
  }

  /** A connection of its own for blocking commands, closed afterwards. */
  async #isolated<T>(work: (link: RedisLink) => Promise<T>): Promise<T> {
    const link = makeClient(this.#redisUrl, false);
    link.on("error", () => {});
    try {
      await link.connect();
    } catch (error) {
      link.destroy();
      throw unavailable(error);
    }
    try {
      return await work(link);
    } finally {
      link.destroy();
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Settled = { value: unknown } | { error: unknown };

function settle(promise: Promise<unknown>): Promise<Settled> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/**
 * Runs commands on one connection, all issued before any reply is awaited, so node-redis writes
 * them in one batch (a pipeline on the wire). A Redis error reply is that command's `{ error }`;
 * a connection failure fails the whole request with 503, since which commands ran is unknown.
 */
async function run(link: RedisLink, commands: string[][], encoding: Encoding): Promise<Outcome[]> {
  const settled = await Promise.all(commands.map((args) => settle(link.sendCommand(args, AS_BYTES))));
  return settled.map((outcome) => {
    if ("value" in outcome) return { result: encodeReply(outcome.value, encoding) };
    if (outcome.error instanceof ErrorReply) return { error: outcome.error.message };
    throw unavailable(outcome.error);
  });
}
