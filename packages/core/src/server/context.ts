import { principalOf } from "../auth/request-principal.js";
import type { Principal } from "../auth/types.js";
import {
  LOGGING_LEVELS,
  type LoggingLevel,
  type ModernProtocolVersion,
  type ProtocolVersion,
} from "../protocol/constants.js";
import * as ErrorCode from "../protocol/error-code.js";
import { type JsonRpcNotification, McpError, notification, type RequestId } from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import type {
  ClientCapabilities,
  CreateMessageParams,
  CreateMessageResult,
  ElicitParams,
  ElicitResult,
  Implementation,
  ListRootsResult,
} from "../protocol/types.js";
import type { SessionRecord } from "../session/types.js";

export interface ServerRequestOptions {
  /** Overrides the server-wide timeout for this request. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * 2026 lane: the key of this input request in `inputRequests` (and of its answer in
   * `inputResponses`). Default: the method and the call's position in the handler, e.g.
   * `elicitation-1`. Keys must be unique within one request.
   */
  key?: string;
}

/** 2026 lane: what a request's `_meta` declared, where there is no session to remember it. */
export interface RequestEnvelope {
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  /** `notifications/message` goes out only when the request named a level. */
  logLevel?: LoggingLevel;
  authSubject?: string;
}

/**
 * Where a request's own messages go: its SSE stream (or, when there is none, nowhere) and how a
 * server-to-client request reaches the client and comes back. Implemented by the HTTP layer.
 */
export interface RequestChannel {
  notify(message: JsonRpcNotification): Promise<void>;
  request(
    method: string,
    params: Record<string, unknown>,
    options: ServerRequestOptions,
  ): Promise<Record<string, unknown>>;
  closeSSEStream(): void;
}

/** What the transport knows about the request being served. */
export interface RequestScope {
  requestId: RequestId;
  method: string;
  params: Record<string, unknown> | undefined;
  signal: AbortSignal;
  protocolVersion: ProtocolVersion | ModernProtocolVersion;
  channel: RequestChannel;
  session?: SessionRecord;
  /** Persists a change to the session record (log level, subscriptions). */
  updateSession?: (change: (record: SessionRecord) => void) => Promise<void>;
  /** The HTTP request, for headers and auth the application reads itself. */
  httpRequest?: Request;
  /** 2026 lane: the request's own declarations. */
  envelope?: RequestEnvelope;
}

const levelRank = new Map<string, number>(LOGGING_LEVELS.map((level, index) => [level, index]));

/** The `ctx` every tool, resource and prompt handler receives. */
export class RequestContext {
  readonly #scope: RequestScope;

  constructor(scope: RequestScope) {
    this.#scope = scope;
  }

  get requestId(): RequestId {
    return this.#scope.requestId;
  }
  /** Aborted when the client cancels the request or the session ends. */
  get signal(): AbortSignal {
    return this.#scope.signal;
  }
  get sessionId(): string | undefined {
    return this.#scope.session?.id;
  }
  /** The session's negotiated revision, or (2026 lane) the revision the request claimed. */
  get protocolVersion(): ProtocolVersion | ModernProtocolVersion {
    return this.#scope.protocolVersion;
  }
  get clientInfo(): Implementation | undefined {
    return this.#scope.session?.clientInfo ?? this.#scope.envelope?.clientInfo;
  }
  /** What the session declared at initialize, or (2026 lane) what this request declared. */
  get clientCapabilities(): ClientCapabilities | undefined {
    return this.#scope.session?.clientCapabilities ?? this.#scope.envelope?.clientCapabilities;
  }
  /** The authenticated principal bound to the session (or, on the 2026 lane, of the request), when auth is configured. */
  get authSubject(): string | undefined {
    return this.#scope.session?.authSubject ?? this.#scope.envelope?.authSubject;
  }
  get request(): Request | undefined {
    return this.#scope.httpRequest;
  }
  /**
   * The principal whose access token admitted this request (subject, scopes, claims, expiry), when the
   * server has `auth`. The token itself is never available: a server must not pass it on.
   */
  get auth(): Principal | undefined {
    return principalOf(this.#scope.httpRequest);
  }

  /**
   * Sends `notifications/message` on this request's stream, honouring the session's log level. On the
   * 2026 lane only when the request's `_meta` named a level, and at or above it.
   */
  async log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    const envelope = this.#scope.envelope;
    if (envelope !== undefined && envelope.logLevel === undefined) return;
    const minimum = this.#scope.session?.logLevel ?? envelope?.logLevel;
    if (minimum !== undefined && (levelRank.get(level) ?? 0) < (levelRank.get(minimum) ?? 0)) return;
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    await this.#scope.channel.notify(notification(Method.Message, params));
  }

  /** Reports progress when the client asked for it (`_meta.progressToken`); otherwise does nothing. */
  async progress(progress: number, total?: number, message?: string): Promise<void> {
    const meta = this.#scope.params?._meta as Record<string, unknown> | undefined;
    const token = meta?.progressToken;
    if (typeof token !== "string" && typeof token !== "number") return;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    await this.#scope.channel.notify(notification(Method.Progress, params));
  }

  /** Sends any notification related to this request on its stream. */
  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    await this.#scope.channel.notify(notification(method, params));
  }

  /** Asks the client's LLM for a completion (`sampling/createMessage`). */
  sample(params: CreateMessageParams, options: ServerRequestOptions = {}): Promise<CreateMessageResult> {
    return this.#ask(
      "sampling",
      params.tools === undefined ? undefined : "tools",
      Method.SamplingCreateMessage,
      params,
      options,
    );
  }

  /** Asks the user for input: a form (`requestedSchema`) or a URL to visit (`mode: "url"`). */
  elicit(params: ElicitParams, options: ServerRequestOptions = {}): Promise<ElicitResult> {
    return this.#ask(
      "elicitation",
      params.mode === "url" ? "url" : undefined,
      Method.ElicitationCreate,
      params,
      options,
    );
  }

  /** Asks the client for its roots. */
  listRoots(options: ServerRequestOptions = {}): Promise<ListRootsResult> {
    return this.#ask("roots", undefined, Method.RootsList, {}, options);
  }

  /**
   * Ends this request's SSE connection without ending its stream (SEP-1699 polling): the client
   * reconnects with `Last-Event-ID` and receives what follows. A no-op where replay is off.
   */
  closeSSEStream(): void {
    this.#scope.channel.closeSSEStream();
  }

  /**
   * Not async: the channel's promise is returned as it is, so one the 2026 lane has already marked as
   * observed stays so when a handler starts an ask without awaiting it.
   */
  #ask<T>(
    name: "sampling" | "elicitation" | "roots",
    sub: string | undefined,
    method: string,
    params: object,
    options: ServerRequestOptions,
  ): Promise<T> {
    const declared = this.clientCapabilities;
    if (!declared) {
      return Promise.reject(
        new McpError(
          ErrorCode.MissingClientCapability,
          `${name} needs a session: server-to-client requests are not available in stateless mode`,
        ),
      );
    }
    const capability = declared[name] as Record<string, unknown> | undefined;
    // What the client left out: the capability itself, or the part this ask needs (an empty
    // elicitation capability means form mode only, 2025-11-25).
    const missing =
      typeof capability !== "object" || capability === null
        ? name
        : sub !== undefined && capability[sub] === undefined
          ? `${name}.${sub}`
          : undefined;
    if (missing !== undefined) {
      return Promise.reject(
        new McpError(ErrorCode.MissingClientCapability, `The client did not declare the ${missing} capability`, {
          requiredCapabilities: { [name]: missing === name ? {} : { [sub as string]: {} } },
        }),
      );
    }
    const signal = options.signal ? AbortSignal.any([options.signal, this.signal]) : this.signal;
    return this.#scope.channel.request(method, params as Record<string, unknown>, { ...options, signal }) as Promise<T>;
  }
}
