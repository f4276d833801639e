import * as ErrorCode from "../protocol/error-code.js";
import {
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  McpError,
  type RequestId,
} from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import type { ServerRequestOptions } from "../server/context.js";
import { newShortId } from "./session-id.js";

interface PendingRequest {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

export interface ServerRequestsOptions {
  timeoutMs: number;
  /** Requests one session may have awaiting the client's reply on this instance. */
  maxPerSession: number;
  /** Keeps this instance on the session's channel (where replies POSTed elsewhere arrive) until released. */
  holdChannel(sessionId: string): Promise<() => void>;
  /** The standalone stream, for requests the originating stream can no longer carry. */
  deliver(sessionId: string, message: JsonRpcMessage): Promise<void>;
  onError(error: unknown): void;
}

const key = (sessionId: string, id: RequestId) => `${sessionId}\u0000${typeof id}:${id}`;

/** Server-to-client requests (sampling, elicitation, roots) awaiting the client's reply on this instance. */
export class ServerRequests {
  readonly #options: ServerRequestsOptions;
  readonly #pending = new Map<string, PendingRequest>();
  /** Per session, for the limit. */
  readonly #perSession = new Map<string, number>();

  constructor(options: ServerRequestsOptions) {
    this.#options = options;
  }

  /**
   * Sends a request to the client with `send` (falling back to the standalone stream) and waits for
   * its reply, a timeout, or cancellation. Past the per-session limit it fails at once.
   */
  async request(
    sessionId: string,
    send: (message: JsonRpcMessage) => boolean,
    method: string,
    params: Record<string, unknown>,
    options: ServerRequestOptions,
  ): Promise<Record<string, unknown>> {
    const limit = this.#options.maxPerSession;
    const pendingHere = this.#perSession.get(sessionId) ?? 0;
    if (pendingHere >= limit) {
      throw new McpError(
        ErrorCode.LimitExceeded,
        `Too many server-to-client requests awaiting the client's reply in this session (maxPendingServerRequestsPerSession = ${limit})`,
      );
    }
    this.#perSession.set(sessionId, pendingHere + 1);
    try {
      return await this.#request(sessionId, send, method, params, options);
    } finally {
      const left = (this.#perSession.get(sessionId) ?? 1) - 1;
      if (left > 0) this.#perSession.set(sessionId, left);
      else this.#perSession.delete(sessionId);
    }
  }

  /** Resolves (or rejects) the request a reply answers; false when no such request waits here. */
  settle(sessionId: string, response: JsonRpcResponse): boolean {
    if (response.id === null) return false;
    const pending = this.#pending.get(key(sessionId, response.id));
    if (!pending) return false;
    if ("error" in response) {
      pending.reject(new McpError(response.error.code, response.error.message, response.error.data));
    } else {
      pending.resolve(response.result);
    }
    return true;
  }

  /** The session ended: its requests fail. */
  rejectSession(sessionId: string, error: Error): void {
    const prefix = `${sessionId}\u0000`;
    for (const [k, pending] of this.#pending) if (k.startsWith(prefix)) pending.reject(error);
  }

  rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
  }

  async #request(
    sessionId: string,
    send: (message: JsonRpcMessage) => boolean,
    method: string,
    params: Record<string, unknown>,
    options: ServerRequestOptions,
  ): Promise<Record<string, unknown>> {
    const id = `s-${newShortId()}`;
    const message: JsonRpcRequest = { jsonrpc: "2.0", id, method, params };
    const k = key(sessionId, id);
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    const release = await this.#options.holdChannel(sessionId);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await new Promise<Record<string, unknown>>((resolve, reject) => {
        this.#pending.set(k, { resolve, reject });
        timer = setTimeout(() => {
          reject(new McpError(ErrorCode.RequestTimeout, `${method} timed out after ${timeoutMs} ms`));
          void this.#cancelOnClient(sessionId, send, id, "timeout");
        }, timeoutMs);
        const signal = options.signal;
        if (signal) {
          onAbort = () => {
            reject(new McpError(ErrorCode.InternalError, `${method} was cancelled`));
            void this.#cancelOnClient(sessionId, send, id, "cancelled");
          };
          if (signal.aborted) return onAbort();
          signal.addEventListener("abort", onAbort, { once: true });
        }
        if (!send(message)) {
          this.#options.deliver(sessionId, message).catch((error: unknown) => {
            reject(error instanceof Error ? error : new Error(String(error)));
          });
        }
      });
    } finally {
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
      this.#pending.delete(k);
      release();
    }
  }

  async #cancelOnClient(
    sessionId: string,
    send: (message: JsonRpcMessage) => boolean,
    requestId: string,
    reason: string,
  ) {
    const notice: JsonRpcMessage = { jsonrpc: "2.0", method: Method.Cancelled, params: { requestId, reason } };
    if (!send(notice)) await this.#options.deliver(sessionId, notice).catch(this.#options.onError);
  }
}
