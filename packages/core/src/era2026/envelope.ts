import { LOGGING_LEVELS, type LoggingLevel } from "../protocol/constants.js";
import { isObject } from "../protocol/jsonrpc.js";
import * as MetaKey from "../protocol/meta-key.js";
import type { ClientCapabilities, Implementation } from "../protocol/types.js";

/** What a 2026 request declares about itself in `params._meta`. */
export interface Envelope {
  protocolVersion: string;
  clientCapabilities: ClientCapabilities;
  clientInfo?: Implementation;
  logLevel?: LoggingLevel;
}

/** Why an envelope is refused: the first offending key, for `data.envelope` of the -32602. */
export interface EnvelopeIssue {
  key: string;
  problem: "missing" | "invalid";
}

const levels = new Set<string>(LOGGING_LEVELS);

/** The `_meta` of a request's params, when it is an object. */
export function metaOf(params: unknown): Record<string, unknown> | undefined {
  if (!isObject(params)) return undefined;
  const meta = params._meta;
  return isObject(meta) ? meta : undefined;
}

/**
 * Validates the reserved keys; foreign keys (progressToken, trace context, extensions) pass untouched.
 * Capabilities are an open object: members this revision does not know are tolerated.
 */
export function readEnvelope(meta: Record<string, unknown>): Envelope | EnvelopeIssue {
  const version = meta[MetaKey.ProtocolVersion];
  if (version === undefined) return { key: MetaKey.ProtocolVersion, problem: "missing" };
  if (typeof version !== "string" || version.length === 0) return { key: MetaKey.ProtocolVersion, problem: "invalid" };
  const capabilities = meta[MetaKey.ClientCapabilities];
  if (capabilities === undefined) return { key: MetaKey.ClientCapabilities, problem: "missing" };
  if (!isObject(capabilities)) return { key: MetaKey.ClientCapabilities, problem: "invalid" };
  const envelope: Envelope = { protocolVersion: version, clientCapabilities: capabilities as ClientCapabilities };
  const info = meta[MetaKey.ClientInfo];
  if (info !== undefined) {
    if (!isObject(info) || typeof info.name !== "string" || typeof info.version !== "string") {
      return { key: MetaKey.ClientInfo, problem: "invalid" };
    }
    envelope.clientInfo = info as Implementation;
  }
  const level = meta[MetaKey.LogLevel];
  if (level !== undefined) {
    if (typeof level !== "string" || !levels.has(level)) return { key: MetaKey.LogLevel, problem: "invalid" };
    envelope.logLevel = level as LoggingLevel;
  }
  return envelope;
}

export function isEnvelopeIssue(value: Envelope | EnvelopeIssue): value is EnvelopeIssue {
  return "problem" in value;
}
