import { BATCH_PROTOCOL_VERSION, ErrorCode } from "../protocol/constants.js";
import { errorResponse, type JsonRpcResponse, resultResponse } from "../protocol/jsonrpc.js";
import type { HandlerConfig } from "./config.js";
import { toErrorObject } from "./error-mapping.js";
import type { PostExchange } from "./post-exchange.js";
import type { PostScope } from "./request-scope.js";
import { encodeResponse, type HeaderRecord, rpcErrorResponse } from "./responses.js";

/** Dispatches one request and returns its response's wire text; never rejects for what a handler does. */
async function answer(config: HandlerConfig, scope: PostScope, exchange?: PostExchange): Promise<string> {
  const report = (error: unknown) => config.onError(error, { method: scope.method });
  let response: JsonRpcResponse;
  try {
    response = resultResponse(scope.requestId, await config.dispatcher.dispatch(scope));
  } catch (error) {
    response = errorResponse(scope.requestId, toErrorObject(error, report));
  }
  scope.release();
  const text = encodeResponse(response, report);
  // One request (the common case) settles the exchange here: no array of answers, no Promise.all.
  exchange?.finishOne(text);
  return text;
}

/**
 * Answers the requests through `exchange`, which settles the HTTP response. Nothing here is awaited
 * by the caller, so whatever goes wrong still ends the exchange (an error answer or the end of its
 * stream) instead of rejecting where no one listens.
 */
export function answerAll(config: HandlerConfig, scopes: PostScope[], exchange: PostExchange, batch: boolean): void {
  if (scopes.length === 1 && !batch && scopes[0]) {
    answer(config, scopes[0], exchange).catch((error: unknown) => exchange.fail(error));
    return;
  }
  Promise.all(scopes.map((scope) => answer(config, scope)))
    .then((texts) => exchange.finish(texts, batch))
    .catch((error: unknown) => exchange.fail(error));
}

export function batchRefused(headers: HeaderRecord): Response {
  return rpcErrorResponse(
    400,
    ErrorCode.InvalidRequest,
    `Invalid Request: batches are only allowed at protocol ${BATCH_PROTOCOL_VERSION}`,
    headers,
  );
}
