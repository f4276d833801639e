import { LOGGING_LEVELS, type LoggingLevel } from "../../protocol/constants.js";
import * as ErrorCode from "../../protocol/error-code.js";
import { McpError } from "../../protocol/jsonrpc.js";
import type { RequestScope } from "../context.js";
import { requireUri } from "./resources.js";

const levels = new Set<string>(LOGGING_LEVELS);

/** logging/setLevel: remembered in the session; stateless requests accept it and remember nothing. */
export async function setLogLevel(scope: RequestScope): Promise<Record<string, never>> {
  const level = scope.params?.level;
  if (typeof level !== "string" || !levels.has(level)) {
    throw new McpError(ErrorCode.InvalidParams, `Invalid log level; expected one of ${LOGGING_LEVELS.join(", ")}`);
  }
  await scope.updateSession?.((record) => {
    record.logLevel = level as LoggingLevel;
  });
  return {};
}

export async function subscribe(scope: RequestScope, on: boolean): Promise<Record<string, never>> {
  const uri = requireUri(scope.params);
  await scope.updateSession?.((record) => {
    const has = record.subscriptions.includes(uri);
    if (on && !has) record.subscriptions.push(uri);
    if (!on && has) record.subscriptions = record.subscriptions.filter((entry) => entry !== uri);
  });
  return {};
}
