import type { ProtocolVersion } from "../protocol/constants.js";
import type { JsonRpcRequest, RequestId } from "../protocol/jsonrpc.js";
import type { RequestScope } from "../server/context.js";
import type { InFlightRequest } from "../session/in-flight.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { SessionRecord } from "../session/types.js";
import type { PostExchange } from "./post-exchange.js";

/**
 * What the dispatcher and `ctx` see of one request. A class rather than an object literal with
 * closures: it is built for every request, and its prototype is shared.
 */
export class PostScope implements RequestScope {
  readonly requestId: RequestId;
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  readonly protocolVersion: ProtocolVersion;
  readonly channel: PostExchange;
  readonly httpRequest: Request;
  readonly session: SessionRecord | undefined;
  readonly #inFlight: InFlightRequest | undefined;
  readonly #sessions: SessionRuntime | undefined;

  constructor(
    message: JsonRpcRequest,
    protocolVersion: ProtocolVersion,
    exchange: PostExchange,
    request: Request,
    session?: SessionRecord,
    sessions?: SessionRuntime,
  ) {
    this.requestId = message.id;
    this.method = message.method;
    this.params = message.params;
    this.protocolVersion = protocolVersion;
    this.channel = exchange;
    this.httpRequest = request;
    this.session = session;
    this.#sessions = sessions;
    this.#inFlight = session && sessions ? sessions.track(session.id, message.id) : undefined;
  }

  /** Stateful: aborted on cancellation or session end. Stateless: the HTTP request's own signal. */
  get signal(): AbortSignal {
    // Read lazily: reading request.signal makes some adapters (@hono/node-server) build a full Request.
    return this.#inFlight ? this.#inFlight.signal : this.httpRequest.signal;
  }

  updateSession(change: (record: SessionRecord) => void): Promise<void> {
    const sessions = this.#sessions;
    const session = this.session;
    return sessions && session ? sessions.update(session, change) : Promise.resolve();
  }

  release(): void {
    this.#inFlight?.release();
  }
}
