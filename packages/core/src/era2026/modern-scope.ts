import type { ModernProtocolVersion } from "../protocol/constants.js";
import type { RequestId } from "../protocol/jsonrpc.js";
import type { RequestEnvelope, RequestScope } from "../server/context.js";
import type { ModernExchange } from "./modern-exchange.js";

/** What the dispatcher and `ctx` see of one 2026 request: its own declarations instead of a session. */
export class ModernScope implements RequestScope {
  readonly requestId: RequestId;
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly protocolVersion: ModernProtocolVersion;
  readonly channel: ModernExchange;
  readonly httpRequest: Request;
  readonly envelope: RequestEnvelope;
  readonly #cancel: AbortController;
  #signal: AbortSignal | undefined;

  constructor(
    requestId: RequestId,
    method: string,
    params: Record<string, unknown>,
    protocolVersion: ModernProtocolVersion,
    exchange: ModernExchange,
    request: Request,
    envelope: RequestEnvelope,
    cancel: AbortController,
  ) {
    this.requestId = requestId;
    this.method = method;
    this.params = params;
    this.protocolVersion = protocolVersion;
    this.channel = exchange;
    this.httpRequest = request;
    this.envelope = envelope;
    this.#cancel = cancel;
  }

  /** Aborted when the client goes away or closes the response stream (2026: that is cancellation). */
  get signal(): AbortSignal {
    this.#signal ??= AbortSignal.any([this.httpRequest.signal, this.#cancel.signal]);
    return this.#signal;
  }
}
