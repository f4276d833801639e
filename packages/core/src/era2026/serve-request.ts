import type { AcceptedTypes } from "../http/accept.js";
import type { HandlerConfig } from "../http/config.js";
import { toErrorObject } from "../http/error-mapping.js";
import { emptyResponse, encodeResponse, type HeaderRecord, jsonResponse } from "../http/responses.js";
import { MODERN_PROTOCOL_VERSIONS, type ModernProtocolVersion } from "../protocol/constants.js";
import * as ErrorCode from "../protocol/error-code.js";
import {
  errorResponse,
  isObject,
  type JsonRpcErrorObject,
  type JsonRpcResponse,
  McpError,
  type RequestId,
  resultResponse,
} from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import type { ServerCapabilities } from "../protocol/types.js";
import type { RequestEnvelope } from "../server/context.js";
import type { Registry } from "../server/registry.js";
import type { Envelope } from "./envelope.js";
import { InputRounds, readInputResponses, readSealedAnswers } from "./input-rounds.js";
import type { ModernMessage, ModernRejection } from "./messages.js";
import { ModernExchange } from "./modern-exchange.js";
import { ModernScope } from "./modern-scope.js";
import { checkParamHeaders } from "./param-headers.js";
import { resourceCacheHint, toolInputSchema } from "./registry-lookups.js";
import { digestBinding, type RequestStateSealer, requestBindingText } from "./request-state.js";
import {
  encodeResult,
  INPUT_CAPABLE,
  modernErrorObject,
  type ResolvedCacheHints,
  withServerInfo,
} from "./result-encoding.js";
import { checkStandardHeaders } from "./standard-headers.js";

const SUPPORTED = new Set<string>(MODERN_PROTOCOL_VERSIONS);

/** The capability a method belongs to: a server that does not declare it does not serve the method. */
const METHOD_CAPABILITY: Record<string, keyof ServerCapabilities> = {
  [Method.ToolsList]: "tools",
  [Method.ToolsCall]: "tools",
  [Method.PromptsList]: "prompts",
  [Method.PromptsGet]: "prompts",
  [Method.ResourcesList]: "resources",
  [Method.ResourcesTemplatesList]: "resources",
  [Method.ResourcesRead]: "resources",
  [Method.CompletionComplete]: "completions",
};

/** What a 2026 request needs from its lane beyond the endpoint's configuration. */
export interface LaneServices {
  sealer: RequestStateSealer;
  cacheHints: ResolvedCacheHints;
  registry: Registry;
  discover(): Record<string, unknown>;
  listen(
    config: HandlerConfig,
    request: Request,
    accept: AcceptedTypes,
    id: RequestId,
    params: Record<string, unknown>,
    headers: HeaderRecord,
  ): Promise<Response> | Response;
}

export function rejectionResponse(rejection: ModernRejection, headers: HeaderRecord): Response {
  const error: JsonRpcErrorObject = { code: rejection.code, message: rejection.message };
  if (rejection.data !== undefined) error.data = rejection.data;
  return jsonResponse(errorResponse(rejection.id, error), rejection.status, headers);
}

function methodNotFound(id: RequestId, method: string, headers: HeaderRecord): Response {
  return rejectionResponse(
    { status: 404, code: ErrorCode.MethodNotFound, message: `Method not found: ${method}`, id },
    headers,
  );
}

/**
 * One request of the 2026 lane after era detection, through the gates in the order clients observe
 * them: supported version, standard headers, then the method (404 when this server has none).
 */
export async function serveModern(
  lane: LaneServices,
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  message: ModernMessage,
  envelope: Envelope,
  headers: HeaderRecord,
): Promise<Response> {
  const id = message.id;
  if (!SUPPORTED.has(envelope.protocolVersion)) {
    return rejectionResponse(
      {
        status: 400,
        code: ErrorCode.UnsupportedProtocolVersion,
        message: `Unsupported protocol version: ${envelope.protocolVersion.slice(0, 40)}`,
        data: { supported: [...MODERN_PROTOCOL_VERSIONS], requested: envelope.protocolVersion },
        id: id ?? null,
      },
      headers,
    );
  }
  // Notifications have nothing to answer (cancellation is the closing of a response stream).
  if (id === undefined) return emptyResponse(202, headers);
  const refused = checkStandardHeaders(request.headers, message, envelope.protocolVersion);
  if (refused) return rejectionResponse(refused, headers);

  const { method, params } = message;
  if (method === Method.ServerDiscover) {
    return jsonResponse(resultResponse(id, lane.discover()), 200, headers);
  }
  if (method === Method.SubscriptionsListen) return lane.listen(config, request, accept, id, params, headers);
  const capability = METHOD_CAPABILITY[method];
  if (capability === undefined || config.dispatcher.capabilities()[capability] === undefined) {
    return methodNotFound(id, method, headers);
  }
  if (method === Method.ToolsCall && typeof params.name === "string") {
    const schema = toolInputSchema(lane.registry, params.name);
    const mismatch = checkParamHeaders(request.headers, schema, params.arguments, id);
    if (mismatch) return rejectionResponse(mismatch, headers);
  }
  const requestEnvelope: RequestEnvelope = { clientCapabilities: envelope.clientCapabilities };
  if (envelope.clientInfo) requestEnvelope.clientInfo = envelope.clientInfo;
  if (envelope.logLevel) requestEnvelope.logLevel = envelope.logLevel;
  const subject = config.authSubject ? await config.authSubject(request) : undefined;
  if (subject !== undefined) requestEnvelope.authSubject = subject;
  return answer(
    lane,
    config,
    request,
    accept,
    id,
    message,
    envelope.protocolVersion as ModernProtocolVersion,
    requestEnvelope,
    headers,
  );
}

/** What a multi-round request is bound to: its method, its name or URI, and its arguments. */
function bindingTextOf(message: ModernMessage): string {
  const { method, params } = message;
  const target = method === Method.ResourcesRead ? params.uri : params.name;
  return requestBindingText(method, target, params.arguments);
}

async function answer(
  lane: LaneServices,
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  id: RequestId,
  message: ModernMessage,
  version: ModernProtocolVersion,
  envelope: RequestEnvelope,
  headers: HeaderRecord,
): Promise<Response> {
  const { method, params } = message;
  const report = (error: unknown) => config.onError(error, { method });
  const serverInfo = config.dispatcher.serverInfo();
  const inputCapable = INPUT_CAPABLE.has(method);

  let known = new Map<string, Record<string, unknown>>();
  // The binding is taken before the handler runs (a handler may change the arguments it is given), but
  // digested only to open or seal a state: most calls do neither, and the digest is the costly part.
  const bindingText = inputCapable ? bindingTextOf(message) : undefined;
  let binding: Promise<string> | undefined;
  const bindingOnce = (): Promise<string> => {
    binding ??= digestBinding(bindingText ?? "");
    return binding;
  };
  if (inputCapable) {
    if (params.requestState !== undefined) {
      const opened = await lane.sealer.open(params.requestState, await bindingOnce(), envelope.authSubject);
      if (opened === undefined) {
        const error = new McpError(ErrorCode.InvalidParams, "Invalid or expired requestState", {
          reason: "invalid_request_state",
        });
        return jsonResponse(errorResponse(id, error.toJSON()), 200, headers);
      }
      known = readSealedAnswers(opened.payload);
    }
    // This round's answers complete (or replace) what earlier rounds recorded.
    for (const [key, value] of readInputResponses(params.inputResponses)) known.set(key, value);
  }

  const rounds = new InputRounds(known, inputCapable);
  const cancel = new AbortController();
  const exchange = new ModernExchange(config, accept.sse, headers, rounds, cancel);
  const scope = new ModernScope(id, method, params, version, exchange, request, envelope, cancel);

  const settle = async (): Promise<void> => {
    let response: JsonRpcResponse;
    let status = 200;
    try {
      let result: Record<string, unknown> | undefined;
      let thrown: unknown;
      try {
        result = await config.dispatcher.dispatch(scope);
      } catch (error) {
        thrown = error;
      }
      if (rounds.pending.size > 0 && inputCapable) {
        // Asked for input: that is the answer, however the handler ended after asking.
        response = resultResponse(id, {
          resultType: "input_required",
          inputRequests: Object.fromEntries(rounds.pending),
          requestState: await lane.sealer.seal(rounds.statePayload(), await bindingOnce(), envelope.authSubject),
          _meta: withServerInfo(undefined, serverInfo),
        });
      } else if (thrown !== undefined) {
        const error = modernErrorObject(toErrorObject(thrown, report));
        if (error.code === ErrorCode.MissingClientCapability) status = 400;
        response = errorResponse(id, error);
      } else {
        const itemHint =
          method === Method.ResourcesRead && typeof params.uri === "string"
            ? resourceCacheHint(lane.registry, params.uri)
            : undefined;
        response = resultResponse(
          id,
          encodeResult(method, isObject(result) ? result : {}, serverInfo, lane.cacheHints, itemHint),
        );
      }
    } catch (error) {
      response = errorResponse(id, toErrorObject(error, report));
    }
    exchange.finish(encodeResponse(response, report), exchange.streaming ? 200 : status);
  };
  settle().catch((error: unknown) => {
    report(error);
    exchange.finish(
      encodeResponse(errorResponse(id, { code: ErrorCode.InternalError, message: "Internal error" }), report),
    );
  });
  return exchange.response;
}
