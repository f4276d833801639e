import type { AcceptedTypes } from "../http/accept.js";
import type { HandlerConfig } from "../http/config.js";
import { toErrorObject } from "../http/error-mapping.js";
import { type HeaderRecord, jsonResponse, rpcErrorResponse } from "../http/responses.js";
import { SseConnection } from "../http/sse.js";
import * as ErrorCode from "../protocol/error-code.js";
import { errorResponse, isObject, type JsonRpcNotification, type RequestId } from "../protocol/jsonrpc.js";
import * as MetaKey from "../protocol/meta-key.js";
import * as Method from "../protocol/method.js";
import type { Implementation, ServerCapabilities } from "../protocol/types.js";
import { type BroadcastEnvelope, Channel } from "../session/channels.js";
import type { StreamManager, Unsubscribe } from "../session/types.js";

/** What a listen asks for (`params.notifications`); absent or false members are not subscribed. */
export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

const FLAGS = ["toolsListChanged", "promptsListChanged", "resourcesListChanged"] as const;

function readFilter(value: unknown): SubscriptionFilter | undefined {
  if (!isObject(value)) return undefined;
  const filter: SubscriptionFilter = {};
  for (const flag of FLAGS) {
    const on = value[flag];
    if (on !== undefined && typeof on !== "boolean") return undefined;
    if (on === true) filter[flag] = true;
  }
  const uris = value.resourceSubscriptions;
  if (uris !== undefined) {
    if (!Array.isArray(uris) || !uris.every((uri) => typeof uri === "string")) return undefined;
    if (uris.length > 0) filter.resourceSubscriptions = [...new Set(uris as string[])];
  }
  return filter;
}

/** What is asked for and this server can deliver, by what it declares. */
function honoured(filter: SubscriptionFilter, capabilities: ServerCapabilities): SubscriptionFilter {
  const out: SubscriptionFilter = {};
  if (filter.toolsListChanged && capabilities.tools?.listChanged) out.toolsListChanged = true;
  if (filter.promptsListChanged && capabilities.prompts?.listChanged) out.promptsListChanged = true;
  if (filter.resourcesListChanged && capabilities.resources?.listChanged) out.resourcesListChanged = true;
  if (filter.resourceSubscriptions && capabilities.resources?.subscribe) {
    out.resourceSubscriptions = [...filter.resourceSubscriptions];
  }
  return out;
}

function wants(filter: SubscriptionFilter, uris: ReadonlySet<string>, method: string, uri: unknown): boolean {
  switch (method) {
    case Method.ToolListChanged:
      return filter.toolsListChanged === true;
    case Method.PromptListChanged:
      return filter.promptsListChanged === true;
    case Method.ResourceListChanged:
      return filter.resourcesListChanged === true;
    case Method.ResourceUpdated:
      return typeof uri === "string" && uris.has(uri);
    default:
      return false;
  }
}

/** One open `subscriptions/listen` stream. */
class ListenStream {
  readonly connection: SseConnection;
  readonly #id: RequestId;
  readonly #filter: SubscriptionFilter;
  readonly #uris: ReadonlySet<string>;

  constructor(id: RequestId, filter: SubscriptionFilter, connection: SseConnection) {
    this.#id = id;
    this.#filter = filter;
    this.#uris = new Set(filter.resourceSubscriptions);
    this.connection = connection;
  }

  /** Every message on a listen stream names the listen it belongs to. */
  #tagged(method: string, params: Record<string, unknown> | undefined): JsonRpcNotification {
    const meta = isObject(params?._meta) ? params._meta : {};
    return { jsonrpc: "2.0", method, params: { ...params, _meta: { ...meta, [MetaKey.SubscriptionId]: this.#id } } };
  }

  acknowledge(): void {
    this.connection.send({
      data: JSON.stringify(this.#tagged(Method.SubscriptionsAcknowledged, { notifications: this.#filter })),
    });
  }

  offer(message: JsonRpcNotification, uri: unknown): void {
    if (!wants(this.#filter, this.#uris, message.method, uri)) return;
    this.connection.send({ data: JSON.stringify(this.#tagged(message.method, message.params)) });
  }

  /** A graceful end: the listen's final response, then the end of the stream. */
  complete(serverInfo: Implementation): void {
    const result = {
      resultType: "complete",
      _meta: { [MetaKey.SubscriptionId]: this.#id, [MetaKey.ServerInfo]: serverInfo },
    };
    this.connection.send({ data: JSON.stringify({ jsonrpc: "2.0", id: this.#id, result }) });
    this.connection.close();
  }
}

/**
 * The listen streams of one server on this instance, fed by the broadcast channel of its stream
 * manager: what session runtimes publish there (list changes, resource updates) on any instance, or
 * what the lane publishes itself where no runtime does.
 */
export class ListenHub {
  readonly #streamManager: StreamManager;
  readonly #max: number;
  readonly #streams = new Set<ListenStream>();
  #subscription: Promise<Unsubscribe> | undefined;
  #closed = false;

  constructor(streamManager: StreamManager, max: number) {
    this.#streamManager = streamManager;
    this.#max = max;
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  async open(
    config: HandlerConfig,
    accept: AcceptedTypes,
    id: RequestId,
    params: Record<string, unknown>,
    headers: HeaderRecord,
  ): Promise<Response> {
    if (!accept.sse) {
      return rpcErrorResponse(
        406,
        ErrorCode.BadRequest,
        "Not Acceptable: subscriptions/listen answers with SSE",
        headers,
        id,
      );
    }
    if (this.#streams.size >= this.#max) {
      return jsonResponse(
        errorResponse(id, { code: ErrorCode.InternalError, message: "Subscription limit reached" }),
        200,
        headers,
      );
    }
    const filter = readFilter(params.notifications);
    if (filter === undefined) {
      return jsonResponse(
        errorResponse(id, {
          code: ErrorCode.InvalidParams,
          message: "Invalid params: notifications must be a subscription filter",
        }),
        200,
        headers,
      );
    }
    const subset = honoured(filter, config.dispatcher.capabilities());
    const stream = new ListenStream(
      id,
      subset,
      new SseConnection({
        headers,
        keepAliveIntervalMs: config.keepAliveIntervalMs,
        maxBufferedBytes: config.maxBufferedBytesPerStream,
        // Past it the connection ends without a final response: the client listens again.
        maxDurationMs: config.maxStreamDurationMs,
        // The client closing the stream (or not reading it) cancels the listen: no final response.
        onClose: () => this.#streams.delete(stream),
      }),
    );
    // Counted before the subscription is awaited, so concurrent listens cannot pass the limit together.
    this.#streams.add(stream);
    try {
      await this.#subscribe();
    } catch (error) {
      this.#streams.delete(stream);
      stream.connection.close();
      const report = (failure: unknown) => config.onError(failure, { method: Method.SubscriptionsListen });
      return jsonResponse(errorResponse(id, toErrorObject(error, report)), 200, headers);
    }
    // The subscription is live: nothing raised after the acknowledgement can be missed.
    stream.acknowledge();
    if (this.#closed || Object.keys(subset).length === 0) {
      this.#streams.delete(stream);
      stream.complete(config.dispatcher.serverInfo());
    }
    return stream.connection.response;
  }

  /** Publishes on the broadcast channel, for the listens of every instance (this one included). */
  async publish(message: JsonRpcNotification, uri?: string): Promise<void> {
    const envelope: BroadcastEnvelope =
      uri === undefined ? { type: "all", message } : { type: "resource", uri, message };
    await this.#streamManager.publish(Channel.broadcast, JSON.stringify(envelope));
  }

  /** Ends every listen held here gracefully (their final response), and stops listening. */
  async close(serverInfo: Implementation): Promise<void> {
    this.#closed = true;
    for (const stream of [...this.#streams]) {
      this.#streams.delete(stream);
      stream.complete(serverInfo);
    }
    const subscription = this.#subscription;
    this.#subscription = undefined;
    if (subscription) await subscription.then((unsubscribe) => unsubscribe()).catch(() => {});
  }

  #subscribe(): Promise<Unsubscribe> {
    if (this.#subscription === undefined) {
      const pending = this.#streamManager.subscribe(Channel.broadcast, (raw) => this.#onBroadcast(raw));
      this.#subscription = pending;
      // A failed subscription is retried by the next listen.
      pending.catch(() => {
        if (this.#subscription === pending) this.#subscription = undefined;
      });
    }
    return this.#subscription;
  }

  #onBroadcast(raw: string): void {
    if (this.#streams.size === 0) return;
    let envelope: BroadcastEnvelope;
    try {
      envelope = JSON.parse(raw) as BroadcastEnvelope;
    } catch {
      return;
    }
    const message = envelope?.message;
    if (!isObject(message) || typeof message.method !== "string") return;
    const params = isObject(message.params) ? message.params : undefined;
    const uri = "uri" in envelope ? envelope.uri : params?.uri;
    const notification: JsonRpcNotification =
      params === undefined
        ? { jsonrpc: "2.0", method: message.method }
        : { jsonrpc: "2.0", method: message.method, params };
    for (const stream of this.#streams) stream.offer(notification, uri);
  }
}
