import { BATCH_PROTOCOL_VERSION, Header, Method, type ProtocolVersion } from "../protocol/constants.js";
import { isRequest } from "../protocol/jsonrpc.js";
import { isSupportedProtocolVersion, negotiateProtocolVersion } from "../protocol/version.js";
import type { AcceptedTypes } from "./accept.js";
import { answerAll, batchRefused } from "./answer.js";
import type { HandlerConfig } from "./config.js";
import type { PostBody } from "./post-body.js";
import { PostExchange } from "./post-exchange.js";
import { PostScope } from "./request-scope.js";
import { emptyResponse, type HeaderRecord } from "./responses.js";

/** Stateless: every request on its own; nothing is remembered and nothing is asked of the client. */
export function handleStatelessPost(
  config: HandlerConfig,
  request: Request,
  accept: AcceptedTypes,
  parsed: PostBody,
  headers: HeaderRecord,
): Promise<Response> | Response {
  const headerVersion = request.headers.get(Header.ProtocolVersion);
  if (parsed.batch && headerVersion !== null && headerVersion !== BATCH_PROTOCOL_VERSION) return batchRefused(headers);
  const exchange = new PostExchange(config, accept.sse, headers, undefined, parsed.batch);
  const scopes: PostScope[] = [];
  for (const message of parsed.messages) {
    if (!isRequest(message)) continue;
    const version: ProtocolVersion = isSupportedProtocolVersion(headerVersion)
      ? headerVersion
      : message.method === Method.Initialize
        ? negotiateProtocolVersion(message.params?.protocolVersion)
        : BATCH_PROTOCOL_VERSION;
    scopes.push(new PostScope(message, version, exchange, request));
  }
  if (scopes.length === 0) return emptyResponse(202, headers);
  answerAll(config, scopes, exchange, parsed.batch);
  return exchange.response;
}
