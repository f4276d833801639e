import { FIRST_MODERN_PROTOCOL_VERSION } from "../protocol/constants.js";
import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import { isObject, isValidId, type RequestId } from "../protocol/jsonrpc.js";
import * as MetaKey from "../protocol/meta-key.js";
import * as Method from "../protocol/method.js";
import { type Envelope, isEnvelopeIssue, metaOf, readEnvelope } from "./envelope.js";
import type { ModernMessage, ModernRejection } from "./messages.js";
import { headerValue } from "./standard-headers.js";

export type Classification =
  | { lane: "legacy" }
  | { lane: "modern"; message: ModernMessage; envelope: Envelope }
  | { lane: "reject"; error: ModernRejection };

/** String order is date order for revisions; anything that sorts after the first 2026 one claims the lane. */
export function isModernVersion(value: unknown): value is string {
  return typeof value === "string" && value >= FIRST_MODERN_PROTOCOL_VERSION;
}

function hasClaim(params: unknown): boolean {
  const meta = metaOf(params);
  return meta !== undefined && MetaKey.ProtocolVersion in meta;
}

function reject(code: number, message: string, id: RequestId | null, data?: unknown): Classification {
  const rejection: ModernRejection = { status: 400, code, message, id };
  if (data !== undefined) rejection.data = data;
  return { lane: "reject", error: rejection };
}

function mismatch(header: string, value: string | null, body: unknown, id: RequestId | null): Classification {
  return reject(ErrorCode.HeaderMismatch, `Header mismatch: ${header} does not match the body`, id, {
    mismatch: { header: value, body },
  });
}

/**
 * Era detection of one POST body (already decoded). The body's `_meta` claim decides; the
 * `MCP-Protocol-Version` header only cross-checks it, and never moves a request without a claim to
 * the 2026 lane. What is not a single JSON-RPC request or notification (batches, responses, anything
 * malformed) is the 2025 lane's to answer, except a batch that holds a claim.
 */
export function classify(headers: Headers, body: unknown): Classification {
  if (Array.isArray(body)) {
    if (body.some((item) => isObject(item) && hasClaim(item.params))) {
      return reject(ErrorCode.InvalidRequest, "Invalid Request: 2026 requests cannot be batched", null);
    }
    return { lane: "legacy" };
  }
  if (!isObject(body) || typeof body.method !== "string" || body.jsonrpc !== "2.0") return { lane: "legacy" };
  if (body.params !== undefined && !isObject(body.params)) return { lane: "legacy" };
  const params = (body.params ?? {}) as Record<string, unknown>;
  const isRequest = "id" in body;
  if (isRequest && !isValidId(body.id)) return { lane: "legacy" };
  const id: RequestId | null = isRequest ? (body.id as RequestId) : null;
  const headerVersion = headerValue(headers, Header.ProtocolVersion);
  const meta = metaOf(params);

  if (meta === undefined || !(MetaKey.ProtocolVersion in meta)) {
    if (!isModernVersion(headerVersion)) return { lane: "legacy" };
    if (isRequest && body.method === Method.Initialize) {
      return mismatch(Header.ProtocolVersion, headerVersion, params.protocolVersion ?? null, id);
    }
    if (!isRequest) {
      const method = headerValue(headers, Header.McpMethod);
      if (method !== null && method !== body.method) return mismatch(Header.McpMethod, method, body.method, id);
      return {
        lane: "modern",
        message: { method: body.method, params },
        envelope: { protocolVersion: headerVersion, clientCapabilities: {} },
      };
    }
    const missing =
      meta === undefined
        ? ["_meta"]
        : [MetaKey.ProtocolVersion, MetaKey.ClientCapabilities].filter((key) => !(key in meta));
    return reject(ErrorCode.InvalidParams, "Invalid params: the request _meta lacks the 2026 envelope", id, {
      envelope: { missing },
    });
  }

  const envelope = readEnvelope(meta);
  if (isEnvelopeIssue(envelope)) {
    // An initialize whose claim is not a valid 2026 envelope stays a 2025 initialize.
    if (isRequest && body.method === Method.Initialize && !isModernVersion(headerVersion)) return { lane: "legacy" };
    return reject(ErrorCode.InvalidParams, `Invalid params: _meta ${envelope.key} is ${envelope.problem}`, id, {
      envelope,
    });
  }
  if (isRequest && body.method === Method.Initialize && !isModernVersion(envelope.protocolVersion)) {
    if (isModernVersion(headerVersion)) {
      return mismatch(Header.ProtocolVersion, headerVersion, envelope.protocolVersion, id);
    }
    return { lane: "legacy" };
  }
  if (headerVersion !== null && headerVersion !== envelope.protocolVersion) {
    return mismatch(Header.ProtocolVersion, headerVersion, envelope.protocolVersion, id);
  }
  const method = headerValue(headers, Header.McpMethod);
  if (method !== null && method !== body.method) return mismatch(Header.McpMethod, method, body.method, id);
  const message: ModernMessage = { method: body.method, params };
  if (isRequest) message.id = id as RequestId;
  return { lane: "modern", message, envelope };
}
