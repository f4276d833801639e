import { BATCH_PROTOCOL_VERSION } from "../protocol/constants.js";
import * as ErrorCode from "../protocol/error-code.js";
import { errorResponse, type JsonRpcResponse, resultResponse } from "../protocol/jsonrpc.js";
import type { HandlerConfig } from "./config.js";
import { toErrorObject } from "./error-mapping.js";
import type { PostExchange } from "./post-exchange.js";
import type { PostScope } from "./request-scope.js";
import { encodeResponse, type HeaderRecord, rpcErrorResponse } from "./responses.js";

/**
 * Dispatches one request and returns its response's wire text; never rejects for what a handler does.
 * Given the exchange, it settles it and never rejects at all: whatever fails ends the exchange.
 */
async function answer(config: HandlerConfig, scope: PostScope, exchange?: PostExchange): Promise<string> {
  try {
    let response: JsonRpcResponse;
    try {
      response = resultResponse(scope.requestId, await config.dispatcher.dispatch(scope));
    } catch (error) {
      response = errorResponse(scope.requestId, toErrorObject(error, reporter(config, scope)));
    }
    scope.release();
    let text: string;
    try {
      text = JSON.stringify(response);
    } catch {
      // Made only here: a closure per request for the rare failure would cost every request.
      text = encodeResponse(response, reporter(config, scope));
    }
    // One request (the common case) settles the exchange here: no array of answers, no Promise.all.
    exchange?.finishOne(text);
    return text;
  } catch (error) {
    if (exchange === undefined) throw error;
    exchange.fail(error);
    return "";
  }
}

function reporter(config: HandlerConfig, scope: PostScope): (error: unknown) => void {
  return (error) => config.onError(error, { method: scope.method });
}

/**
 * Answers the requests through `exchange`, which settles the HTTP response. Nothing here is awaited
 * by the caller, so whatever goes wrong still ends the exchange (an error answer or the end of its
 * stream) instead of rejecting where no one listens.
 */
export function answerAll(config: HandlerConfig, scopes: PostScope[], exchange: PostExchange, batch: boolean): void {
  if (scopes.length === 1 && !batch && scopes[0]) {
    answerOne(config, scopes[0], exchange);
    return;
  }
  Promise.all(scopes.map((scope) => answer(config, scope)))
    .then((texts) => exchange.finish(texts, batch))
    .catch((error: unknown) => exchange.fail(error));
}

/** `answerAll` for a POST that carried one request and no batch (the common case): no array, no Promise.all. */
export function answerOne(config: HandlerConfig, scope: PostScope, exchange: PostExchange): void {
  void answer(config, scope, exchange);
}

export function batchRefused(headers: HeaderRecord): Response {
  return rpcErrorResponse(
    400,
    ErrorCode.InvalidRequest,
    `Invalid Request: batches are only allowed at protocol ${BATCH_PROTOCOL_VERSION}`,
    headers,
  );
}
