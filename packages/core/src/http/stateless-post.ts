import { BATCH_PROTOCOL_VERSION, type ProtocolVersion } from "../protocol/constants.js";
import { isRequest, type JsonRpcRequest } from "../protocol/jsonrpc.js";
import * as Method from "../protocol/method.js";
import { isSupportedProtocolVersion, negotiateProtocolVersion } from "../protocol/version.js";
import type { AcceptedTypes } from "./accept.js";
import { answerAll, answerOne, batchRefused } from "./answer.js";
import type { HandlerConfig } from "./config.js";
import type { PostBody } from "./post-body.js";
import { PostExchange } from "./post-exchange.js";
import { PostScope } from "./request-scope.js";
import { emptyResponse, type HeaderRecord } from "./responses.js";

/** The revision a request is served at: its header's, else what `initialize` asks for, else the oldest. */
function scopeVersion(headerVersion: string | null, message: JsonRpcRequest): ProtocolVersion {
  if (isSupportedProtocolVersion(headerVersion)) return headerVersion;
  return message.method === Method.Initialize
    ? negotiateProtocolVersion(message.params?.protocolVersion)
    : BATCH_PROTOCOL_VERSION;
}

/** Stateless: every request on its own; nothing is remembered and nothing is asked of the client. */
export function handleStatelessPost(
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  parsed: PostBody,
  headers: HeaderRecord,
  /** The request's `MCP-Protocol-Version`, already read (and refused if unsupported) by the caller. */
  headerVersion: string | null,
): Promise<Response> | Response {
  if (parsed.batch && headerVersion !== null && headerVersion !== BATCH_PROTOCOL_VERSION) return batchRefused(headers);
  const exchange = new PostExchange(config, accept.sse, headers);
  const first = parsed.messages[0];
  if (!parsed.batch && first && isRequest(first)) {
    answerOne(config, new PostScope(first, scopeVersion(headerVersion, first), exchange, request), exchange);
    return exchange.response;
  }
  const scopes: PostScope[] = [];
  for (const message of parsed.messages) {
    if (!isRequest(message)) continue;
    scopes.push(new PostScope(message, scopeVersion(headerVersion, message), exchange, request));
  }
  if (scopes.length === 0) return emptyResponse(202, headers);
  answerAll(config, scopes, exchange, parsed.batch);
  return exchange.response;
}
