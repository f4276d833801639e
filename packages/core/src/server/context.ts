import { ErrorCode, LOGGING_LEVELS, type LoggingLevel, Method, type ProtocolVersion } from "../protocol/constants.js";
import { type JsonRpcNotification, McpError, type RequestId } from "../protocol/jsonrpc.js";
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
  protocolVersion: ProtocolVersion;
  channel: RequestChannel;
  session?: SessionRecord;
  /** Persists a change to the session record (log level, subscriptions). */
  updateSession?: (change: (record: SessionRecord) => void) => Promise<void>;
  /** The HTTP request, for headers and auth the application reads itself. */
  httpRequest?: Request;
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
  get protocolVersion(): ProtocolVersion {
    return this.#scope.protocolVersion;
  }
  get clientInfo(): Implementation | undefined {
    return this.#scope.session?.clientInfo;
  }
  get clientCapabilities(): ClientCapabilities | undefined {
    return this.#scope.session?.clientCapabilities;
  }
  /** The authenticated principal bound to the session, when auth is configured. */
  get authSubject(): string | undefined {
    return this.#scope.session?.authSubject;
  }
  get request(): Request | undefined {
    return this.#scope.httpRequest;
  }

  /** Sends `notifications/message` on this request's stream, honouring the session's log level. */
  async log(level: LoggingLevel, data: unknown, logger?: string): Promise<void> {
    const minimum = this.#scope.session?.logLevel;
    if (minimum !== undefined && (levelRank.get(level) ?? 0) < (levelRank.get(minimum) ?? 0)) return;
    const params: Record<string, unknown> = { level, data };
    if (logger !== undefined) params.logger = logger;
    await this.#scope.channel.notify({ jsonrpc: "2.0", method: Method.Message, params });
  }

  /** Reports progress when the client asked for it (`_meta.progressToken`); otherwise does nothing. */
  async progress(progress: number, total?: number, message?: string): Promise<void> {
    const meta = this.#scope.params?._meta as Record<string, unknown> | undefined;
    const token = meta?.progressToken;
    if (typeof token !== "string" && typeof token !== "number") return;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    await this.#scope.channel.notify({ jsonrpc: "2.0", method: Method.Progress, params });
  }

  /** Sends any notification related to this request on its stream. */
  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    await this.#scope.channel.notify(
      params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params },
    );
  }

  /** Asks the client's LLM for a completion (`sampling/createMessage`). */
  async sample(params: CreateMessageParams, options: ServerRequestOptions = {}): Promise<CreateMessageResult> {
    this.#requireCapability("sampling", params.tools === undefined ? undefined : "tools");
    return (await this.#request(Method.SamplingCreateMessage, params, options)) as CreateMessageResult;
  }

  /** Asks the user for input: a form (`requestedSchema`) or a URL to visit (`mode: "url"`). */
  async elicit(params: ElicitParams, options: ServerRequestOptions = {}): Promise<ElicitResult> {
    this.#requireCapability("elicitation", params.mode === "url" ? "url" : undefined);
    return (await this.#request(Method.ElicitationCreate, params, options)) as ElicitResult;
  }

  /** Asks the client for its roots. */
  async listRoots(options: ServerRequestOptions = {}): Promise<ListRootsResult> {
    this.#requireCapability("roots");
    return (await this.#request(Method.RootsList, {}, options)) as ListRootsResult;
  }

  /**
   * Ends this request's SSE connection without ending its stream (SEP-1699 polling): the client
   * reconnects with `Last-Event-ID` and receives what follows. A no-op where replay is off.
   */
  closeSSEStream(): void {
    this.#scope.channel.closeSSEStream();
  }

  #request(method: string, params: object, options: ServerRequestOptions): Promise<Record<string, unknown>> {
    const signal = options.signal ? AbortSignal.any([options.signal, this.signal]) : this.signal;
    return this.#scope.channel.request(method, params as Record<string, unknown>, { ...options, signal });
  }

  #requireCapability(name: "sampling" | "elicitation" | "roots", sub?: string): void {
    const session = this.#scope.session;
    if (!session) {
      throw new McpError(
        ErrorCode.MissingClientCapability,
        `${name} needs a session: server-to-client requests are not available in stateless mode`,
      );
    }
    const capability = session.clientCapabilities[name] as Record<string, unknown> | undefined;
    if (capability === undefined || capability === null) {
      throw new McpError(ErrorCode.MissingClientCapability, `The client did not declare the ${name} capability`);
    }
    if (sub !== undefined && capability[sub] === undefined) {
      // An empty elicitation capability means form mode only (2025-11-25).
      throw new McpError(ErrorCode.MissingClientCapability, `The client did not declare the ${name}.${sub} capability`);
    }
  }
}
