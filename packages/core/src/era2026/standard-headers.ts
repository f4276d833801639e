import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import * as Method from "../protocol/method.js";
import type { ModernMessage, ModernRejection } from "./messages.js";

const OWS = /^[ \t]+|[ \t]+$/g;
const BASE64_PREFIX = "=?base64?";
const BASE64_SUFFIX = "?=";
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A header's value without surrounding spaces and tabs (RFC 9110 OWS); null when absent. */
export function headerValue(headers: Headers, name: string): string | null {
  const value = headers.get(name);
  // Fetch's Headers already trims; the check keeps the common case free of a regular expression.
  if (value === null || !(isOws(value.charCodeAt(0)) || isOws(value.charCodeAt(value.length - 1)))) return value;
  return value.replace(OWS, "");
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * The value a client meant: as sent, or decoded from the `=?base64?...?=` form clients use for
 * values a header cannot carry as they are. Undefined when that form is malformed.
 */
export function decodeHeaderValue(value: string): string | undefined {
  if (!value.startsWith(BASE64_PREFIX) || !value.endsWith(BASE64_SUFFIX)) return value;
  if (value.length < BASE64_PREFIX.length + BASE64_SUFFIX.length) return undefined;
  const payload = value.slice(BASE64_PREFIX.length, value.length - BASE64_SUFFIX.length);
  if (!CANONICAL_BASE64.test(payload)) return undefined;
  try {
    const binary = atob(payload);
    const bytes = new Uint8Array(binary.length);
    for (let at = 0; at < binary.length; at++) bytes[at] = binary.charCodeAt(at);
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The body member `Mcp-Name` repeats, for the methods that have one. */
function namedValue(message: ModernMessage): unknown {
  switch (message.method) {
    case Method.ToolsCall:
    case Method.PromptsGet:
      return message.params.name;
    case Method.ResourcesRead:
      return message.params.uri;
    default:
      return undefined;
  }
}

function mismatch(message: ModernMessage, header: string, value: string | null, body: unknown): ModernRejection {
  return {
    status: 400,
    code: ErrorCode.HeaderMismatch,
    message:
      value === null ? `Header mismatch: ${header} is required` : `Header mismatch: ${header} does not match the body`,
    data: { mismatch: { header: value, body: body ?? null } },
    id: message.id ?? null,
  };
}

/**
 * The headers every 2026 request carries so intermediaries can route without reading the body:
 * present, and equal to what the body says.
 */
export function checkStandardHeaders(
  headers: Headers,
  message: ModernMessage,
  claimed: string,
): ModernRejection | undefined {
  const version = headerValue(headers, Header.ProtocolVersion);
  if (version === null) return mismatch(message, Header.ProtocolVersion, null, claimed);
  const method = headerValue(headers, Header.McpMethod);
  if (method === null) return mismatch(message, Header.McpMethod, null, message.method);
  const named = namedValue(message);
  if (typeof named !== "string") return undefined;
  const raw = headerValue(headers, Header.McpName);
  if (raw === null) return mismatch(message, Header.McpName, null, named);
  const decoded = decodeHeaderValue(raw);
  if (decoded !== named) return mismatch(message, Header.McpName, raw, named);
  return undefined;
}
