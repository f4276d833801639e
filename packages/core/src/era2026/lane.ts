import type { AcceptedTypes } from "../http/accept.js";
import type { HandlerConfig, ModernLane, ModernLaneSupport } from "../http/config.js";
import { withPlatformStorage } from "../http/platform-storage.js";
import { type HeaderRecord, rpcErrorResponse } from "../http/responses.js";
import { MODERN_PROTOCOL_VERSIONS } from "../protocol/constants.js";
import * as Defaults from "../protocol/defaults.js";
import * as ErrorCode from "../protocol/error-code.js";
import { isObject, isValidId, type JsonRpcNotification, type RequestId } from "../protocol/jsonrpc.js";
import type { Dispatcher } from "../server/dispatcher.js";
import type { McpServerOptions } from "../server/options.js";
import type { Registry } from "../server/registry.js";
import { InMemoryStreamManager } from "../session/memory-stream-manager.js";
import type { SessionRuntime } from "../session/session-runtime.js";
import type { StreamManager } from "../session/types.js";
import { classify } from "./classify.js";
import { ListenHub } from "./listen.js";
import { RequestStateSealer } from "./request-state.js";
import { encodeResult, type ResolvedCacheHints, resolveCacheHints } from "./result-encoding.js";
import { type LaneServices, rejectionResponse, serveModern } from "./serve-request.js";

/** The 2026-07-28 lane of one server: era detection, its gates and methods, MRTR, listen streams. */
class Era2026Lane implements ModernLane, LaneServices {
  readonly sealer: RequestStateSealer;
  readonly cacheHints: ResolvedCacheHints;
  readonly registry: Registry;
  readonly #options: McpServerOptions;
  readonly #dispatcher: Dispatcher;
  readonly #listens: ListenHub;
  /** Set when no session runtime shares the stream manager: its connections are then this lane's to release. */
  readonly #ownStreamManager: StreamManager | undefined;

  constructor(
    options: McpServerOptions,
    dispatcher: Dispatcher,
    registry: Registry,
    sessions: SessionRuntime | undefined,
  ) {
    this.#options = options;
    this.#dispatcher = dispatcher;
    this.registry = registry;
    this.sealer = new RequestStateSealer(
      options.requestState?.keys,
      options.requestState?.ttlMs ?? Defaults.requestStateTtlMs,
    );
    this.cacheHints = resolveCacheHints(options.cacheHints);
    // Sessions publish broadcasts on their stream manager; without them this lane holds its own.
    const streamManager = sessions?.streamManager ?? options.streamManager ?? new InMemoryStreamManager();
    this.#ownStreamManager = sessions ? undefined : streamManager;
    this.#listens = new ListenHub(streamManager, options.maxListenStreams ?? Defaults.maxListenStreams);
  }

  route(
    config: HandlerConfig,
    request: Request,
    accept: AcceptedTypes,
    body: unknown,
    headers: HeaderRecord,
  ): Promise<Response> | Response | undefined {
    const classified = classify(request.headers, body);
    switch (classified.lane) {
      case "legacy":
        return undefined;
      case "reject":
        return rejectionResponse(classified.error, headers);
      case "modern":
        return serveModern(this, config, request, accept, classified.message, classified.envelope, headers);
    }
  }

  /** Without the 2025 lane: what would have gone there is told which revisions this server speaks. */
  refuseLegacy(body: unknown, headers: HeaderRecord): Response {
    if (Array.isArray(body) || !isObject(body) || typeof body.method !== "string") {
      return rpcErrorResponse(
        400,
        ErrorCode.InvalidRequest,
        "Invalid Request: this server speaks MCP 2026-07-28 only",
        headers,
      );
    }
    if (!("id" in body)) return new Response(null, { status: 202, headers });
    const id: RequestId | null = isValidId(body.id) ? body.id : null;
    const data: Record<string, unknown> = { supported: [...MODERN_PROTOCOL_VERSIONS] };
    const params = isObject(body.params) ? body.params : undefined;
    if (typeof params?.protocolVersion === "string") data.requested = params.protocolVersion;
    return rejectionResponse(
      {
        status: 400,
        code: ErrorCode.UnsupportedProtocolVersion,
        message: "Unsupported protocol version: this server speaks MCP 2026-07-28 only",
        data,
        id,
      },
      headers,
    );
  }

  broadcast(message: JsonRpcNotification, uri?: string): Promise<void> {
    return this.#listens.publish(message, uri);
  }

  async close(): Promise<void> {
    await this.#listens.close(this.#dispatcher.serverInfo());
    await this.#ownStreamManager?.close?.();
  }

  discover(): Record<string, unknown> {
    const result: Record<string, unknown> = {
      supportedVersions: [...MODERN_PROTOCOL_VERSIONS],
      capabilities: this.#dispatcher.capabilities(),
    };
    if (this.#options.instructions !== undefined) result.instructions = this.#options.instructions;
    return encodeResult("server/discover", result, this.#dispatcher.serverInfo(), this.cacheHints);
  }

  listen(
    config: HandlerConfig,
    _request: Request,
    accept: AcceptedTypes,
    id: RequestId,
    params: Record<string, unknown>,
    headers: HeaderRecord,
  ): Promise<Response> {
    return this.#listens.open(config, accept, id, params, headers);
  }
}

/**
 * The 2026-07-28 lane, as a server is given it: `new McpServer({ name, version, lane2026 })`. The
 * stateless preset serves that lane only when given this value, so a bundle that never imports it
 * carries none of the lane's code; the full preset (`@mcp-edge/core`) always carries it.
 */
export const lane2026: ModernLaneSupport = {
  kind: "lane2026",
  create: (options, dispatcher, registry, sessions) => new Era2026Lane(options, dispatcher, registry, sessions),
  withPlatformStorage,
};
