import * as ErrorCode from "../protocol/error-code.js";
import * as Header from "../protocol/header.js";
import * as MediaType from "../protocol/media-type.js";
import { isSupportedProtocolVersion } from "../protocol/version.js";
import { isStoreUnavailable } from "../session/types.js";
import { type AcceptedTypes, parseAccept } from "./accept.js";
import { readBodyText } from "./body.js";
import type { HandlerConfig } from "./config.js";
import { storeUnavailableResponse } from "./error-mapping.js";
import { decodeBody, toMessages } from "./post-body.js";
import { emptyResponse, type HeaderRecord, NO_HEADERS, rpcErrorResponse } from "./responses.js";
import { handleStatelessPost } from "./stateless-post.js";

const ALLOW_STATEFUL = "GET, POST, DELETE";
const ALLOW_STATELESS = "POST";
const CORS_REQUEST_HEADERS =
  "content-type, accept, authorization, mcp-session-id, mcp-protocol-version, last-event-id, mcp-method, mcp-name";
const CORS_EXPOSED_HEADERS = "mcp-session-id, mcp-protocol-version, www-authenticate";

function corsHeaders(config: HandlerConfig, origin: string | null): HeaderRecord | undefined {
  const cors = config.cors;
  if (!cors || origin === null) return undefined;
  const allowed = [cors.origin].flat();
  if (!allowed.includes("*") && !allowed.includes(origin)) return undefined;
  return {
    "access-control-allow-origin": allowed.includes("*") ? "*" : origin,
    "access-control-expose-headers": CORS_EXPOSED_HEADERS,
    vary: "origin",
  };
}

/**
 * Per request in auto mode: a client that can read SSE gets a session; one that asks for JSON
 * alone (curl, k6, plain HTTP) is served statelessly from the same endpoint.
 */
function wantsSession(config: HandlerConfig, accept: AcceptedTypes): boolean {
  if (config.sessionEndpoints === undefined) return false;
  if (config.stateless !== undefined) return !config.stateless;
  return accept.sse && accept.json;
}

/** The path of an absolute URL without building a URL object (this runs on every request). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.length;
  const query = url.indexOf("?", start);
  if (query >= 0) end = query;
  const hash = url.indexOf("#", start);
  if (hash >= 0 && hash < end) end = hash;
  return url.slice(start, end);
}

/** Whether the path of an absolute URL is `path`, without slicing it out (this runs on every request). */
function hasPath(url: string, path: string): boolean {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return path === "/";
  if (!url.startsWith(path, start)) return false;
  const end = start + path.length;
  if (end === url.length) return true;
  const next = url.charCodeAt(end);
  return next === 63 /* ? */ || next === 35 /* # */;
}

function hostOf(url: string): string {
  const from = url.indexOf("//") + 2;
  const to = url.indexOf("/", from);
  return url.slice(from, to < 0 ? url.length : to);
}

/**
 * The Streamable HTTP endpoint: guards in a fixed order, then POST, GET or DELETE. Not async itself:
 * a POST without auth (most requests) goes straight to `post`, which answers its own failures, so
 * the request pays for one async frame fewer.
 */
export function handleRequest(config: HandlerConfig, request: Request): Promise<Response> {
  try {
    // Protected resource metadata is public, for any origin, and lives beside the endpoint's path.
    const metadata = config.auth?.metadata(request.method, pathOf(request.url));
    if (metadata) return Promise.resolve(metadata);
    if (config.path !== null && !hasPath(request.url, config.path)) {
      return Promise.resolve(new Response("Not Found", { status: 404 }));
    }
    const origin = request.headers.get(Header.Origin);
    const host = request.headers.get(Header.Host) ?? hostOf(request.url);
    const refused = config.guard.refusal(origin, host);
    if (refused !== undefined) return Promise.resolve(rpcErrorResponse(403, ErrorCode.BadRequest, refused));
    const headers: HeaderRecord = corsHeaders(config, origin) ?? NO_HEADERS;
    if (request.method === "POST" && !config.auth) return post(config, request, headers);
    return byMethod(config, request, headers);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Everything but an unauthenticated POST: auth first, then the method. */
async function byMethod(config: HandlerConfig, request: Request, headers: HeaderRecord): Promise<Response> {
  const allow = config.stateless === true || !config.legacy ? ALLOW_STATELESS : ALLOW_STATEFUL;
  try {
    // Every MCP request proves its principal before anything reads its body; preflights carry no credentials.
    if (config.auth && request.method !== "OPTIONS") {
      const refusedAuth = await config.auth.admit(request, headers, config.onError);
      if (refusedAuth) return refusedAuth;
    }
    switch (request.method) {
      case "POST":
        return await post(config, request, headers);
      case "GET":
      case "DELETE": {
        const sessions = config.sessionEndpoints;
        if (!sessions) return methodNotAllowed(allow, headers);
        const refused = unsupportedVersion(request, headers);
        if (refused) return refused;
        return request.method === "GET"
          ? await sessions.get(config, request, headers, allow)
          : await sessions.remove(config, request, headers, allow);
      }
      case "OPTIONS":
        if (config.cors && headers["access-control-allow-origin"]) {
          return emptyResponse(204, {
            ...headers,
            "access-control-allow-methods": `${allow}, OPTIONS`,
            "access-control-allow-headers": CORS_REQUEST_HEADERS,
            "access-control-max-age": String(config.cors.maxAge ?? 600),
          });
        }
        return methodNotAllowed(allow, headers);
      default:
        return methodNotAllowed(allow, headers);
    }
  } catch (error) {
    return failure(config, headers, error);
  }
}

/** What escaped a request's handling: 503 when the session store is down, else reported and 500. */
function failure(config: HandlerConfig, headers: HeaderRecord, error: unknown): Response {
  if (isStoreUnavailable(error)) return storeUnavailableResponse(headers);
  config.onError(error, {});
  return rpcErrorResponse(500, ErrorCode.InternalError, "Internal error", headers);
}

function methodNotAllowed(allow: string, headers: HeaderRecord): Response {
  return rpcErrorResponse(405, ErrorCode.BadRequest, "Method Not Allowed", { ...headers, [Header.Allow]: allow });
}

/** 400 for an `MCP-Protocol-Version` this server does not speak, on every method that carries one. */
function unsupportedVersion(request: Request, headers: HeaderRecord): Response | undefined {
  return refuseVersion(request.headers.get(Header.ProtocolVersion), headers);
}

function refuseVersion(version: string | null, headers: HeaderRecord): Response | undefined {
  if (version === null || isSupportedProtocolVersion(version)) return undefined;
  return rpcErrorResponse(
    400,
    ErrorCode.BadRequest,
    `Bad Request: unsupported MCP-Protocol-Version ${version.slice(0, 40)}`,
    headers,
  );
}

/**
 * `application/json`, optionally with parameters; a charset, if named, must be UTF-8 (MCP messages are
 * UTF-8). A prefix match would let `application/json-patch+json` or `application/jsonx` through.
 */
function isJsonContentType(value: string): boolean {
  if (value === MediaType.Json) return true;
  const semicolon = value.indexOf(";");
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (type !== MediaType.Json) return false;
  if (semicolon < 0) return true;
  for (const parameter of value.slice(semicolon + 1).split(";")) {
    const equals = parameter.indexOf("=");
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== "charset") continue;
    const charset = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return false;
  }
  return true;
}

/** A POST, to its answer; whatever fails becomes a 503 or a 500 (see `failure`), never a rejection. */
async function post(config: HandlerConfig, request: Request, headers: HeaderRecord): Promise<Response> {
  try {
    const contentType = request.headers.get(Header.ContentType);
    if (contentType === null || !isJsonContentType(contentType)) {
      return rpcErrorResponse(
        415,
        ErrorCode.BadRequest,
        "Unsupported Media Type: Content-Type must be application/json",
        headers,
      );
    }
    const accept = parseAccept(request.headers.get(Header.Accept));
    if (!accept.json && !accept.sse) {
      return rpcErrorResponse(
        406,
        ErrorCode.BadRequest,
        "Not Acceptable: Accept must include application/json or text/event-stream",
        headers,
      );
    }
    let text: string | undefined;
    try {
      text = await readBodyText(request, config.maxBodyBytes);
    } catch {
      // The client went away or broke the upload half-way: its fault, and not worth a report.
      return rpcErrorResponse(400, ErrorCode.ParseError, "Bad Request: the body could not be read", headers);
    }
    if (text === undefined || text.length > config.maxBodyBytes) {
      return rpcErrorResponse(
        413,
        ErrorCode.BadRequest,
        `Payload Too Large: the limit is ${config.maxBodyBytes} bytes`,
        headers,
      );
    }
    const decoded = decodeBody(text, headers, config.maxJsonDepth);
    // A body that is not JSON claims no lane: a refused version header is the first thing to say.
    if (decoded instanceof Response) return unsupportedVersion(request, headers) ?? decoded;
    const beyondScope = config.auth?.refuseItems(request, decoded.value, headers);
    if (beyondScope) return beyondScope;
    // Era detection: the 2026 lane takes what claims it; everything else is the 2025 lane's.
    const modern = config.modern;
    if (modern !== undefined) {
      const answered = modern.route(config, request, accept, decoded.value, headers);
      // Awaited here, so that a failure in the lane is answered by this function's catch.
      if (answered !== undefined) return await answered;
      if (!config.legacy) return modern.refuseLegacy(decoded.value, headers);
    }
    const headerVersion = request.headers.get(Header.ProtocolVersion);
    const refused = refuseVersion(headerVersion, headers);
    if (refused) return refused;
    const parsed = toMessages(decoded.value, headers);
    if (parsed instanceof Response) return parsed;
    // Awaited rather than returned: an async function that returns a promise pays extra jobs to adopt it.
    return await (wantsSession(config, accept) && config.sessionEndpoints
      ? config.sessionEndpoints.post(config, request, accept, parsed, headers)
      : handleStatelessPost(config, request, accept, parsed, headers, headerVersion));
  } catch (error) {
    return failure(config, headers, error);
  }
}
