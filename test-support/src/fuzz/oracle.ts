import type { RuleName } from "./status-table.js";

export type ServerMode = "stateless" | "stateful" | "auto";
export type RequestId = string | number;

export const SUPPORTED_VERSIONS: readonly string[] = ["2025-03-26", "2025-06-18", "2025-11-25"];
export const BATCH_VERSION = "2025-03-26";

/** What the harness knows of a session it opened (or saw minted). */
export interface KnownSession {
  readonly id: string;
  readonly protocolVersion: string;
  readonly subject: string | undefined;
  live: boolean;
  /** A standalone GET stream of it is open (held by the harness). */
  standaloneOpen: boolean;
}

export interface OracleContext {
  readonly mode: ServerMode;
  readonly endpointPath: string;
  readonly maxBodyBytes: number;
  readonly maxJsonDepth: number;
  /** How many instances serve the target (see FuzzTarget.instances). */
  readonly instances: number;
  readonly sessions: ReadonlyMap<string, KnownSession>;
  /** The principal the server's authSubject hook derives from these headers. */
  subjectOf(headers: Headers): string | undefined;
  /** SSE event ids the server really sent on POST streams, by event id: the session they belong to. */
  readonly postEventIds: ReadonlyMap<string, string>;
}

/** One acceptable outcome. */
export interface Expected {
  readonly rule: RuleName;
  /** answered: the request ids, each to be answered exactly once. */
  readonly ids?: readonly RequestId[];
  readonly batch?: boolean;
  /** The request carrying an id-bearing error (initialize-params). */
  readonly errorId?: RequestId;
  /** answered: an initialize that opens a session. */
  readonly mintsSession?: boolean;
  /** ended: the session DELETE ends. */
  readonly endsSession?: string;
  /** stream: the standalone stream of this session (it counts as open until cancelled). */
  readonly standaloneOf?: string;
  /** stream: the resumption of a POST stream, which ends on its own. */
  readonly resumes?: boolean;
  /** stream: a standalone stream opened on another instance than the one held; the held one ends. */
  readonly takesOver?: boolean;
}

export interface AcceptedTypes {
  json: boolean;
  sse: boolean;
}

/** RFC 9110 media ranges as the endpoint reads them; no header or an empty one counts as JSON. */
export function acceptedTypes(header: string | null): AcceptedTypes {
  if (header === null || header === "") return { json: true, sse: false };
  let json = false;
  let sse = false;
  for (const part of header.split(",")) {
    const [rawType = "", ...params] = part.split(";");
    const type = rawType.trim().toLowerCase();
    if (params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param))) continue;
    if (type === "application/json" || type === "application/*" || type === "*/*") json = true;
    if (type === "text/event-stream") sse = true;
  }
  return { json, sse };
}

/** `application/json`, any parameters, a charset (if named) UTF-8. */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const [type = "", ...params] = value.split(";");
  if (type.trim().toLowerCase() !== "application/json") return false;
  for (const param of params) {
    const equals = param.indexOf("=");
    if (equals < 0 || param.slice(0, equals).trim().toLowerCase() !== "charset") continue;
    const charset = param
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return false;
  }
  return true;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function loopbackHost(host: string): boolean {
  const lower = host.toLowerCase();
  const name = lower.startsWith("[") ? lower.slice(0, lower.indexOf("]") + 1) : lower.split(":")[0];
  return LOOPBACK.has(name ?? "");
}

function loopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK.has(new URL(origin).hostname.toLowerCase());
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isValidId(id: unknown): id is RequestId {
  return typeof id === "string" || (typeof id === "number" && Number.isSafeInteger(id));
}

type Message =
  | { kind: "request"; id: RequestId; method: string; params: Record<string, unknown> | undefined }
  | { kind: "notification"; method: string }
  | { kind: "response"; id: RequestId | null };

/** JSON-RPC 2.0 as MCP uses it; undefined when `value` is not a message. */
export function classifyMessage(value: unknown): Message | undefined {
  if (!isObject(value) || value.jsonrpc !== "2.0") return undefined;
  if ("method" in value) {
    if (typeof value.method !== "string" || value.method.length === 0) return undefined;
    if ("params" in value && value.params !== undefined && !isObject(value.params)) return undefined;
    if (!("id" in value)) return { kind: "notification", method: value.method };
    if (!isValidId(value.id)) return undefined;
    return { kind: "request", id: value.id, method: value.method, params: value.params as Record<string, unknown> };
  }
  if (!("id" in value) || !(value.id === null || isValidId(value.id))) return undefined;
  if ("result" in value === "error" in value) return undefined;
  if ("result" in value && !isObject(value.result)) return undefined;
  if ("error" in value && (!isObject(value.error) || typeof value.error.code !== "number")) return undefined;
  return { kind: "response", id: value.id as RequestId | null };
}

/** Nesting depth of a parsed JSON value (a scalar is 0, `{}` is 1), without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    if (typeof node !== "object" || node === null) continue;
    if (depth > deepest) deepest = depth;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const VISIBLE_ASCII = /^[\x21-\x7e]{1,256}$/;

function one(rule: RuleName, extra: Omit<Expected, "rule"> = {}): Expected[] {
  return [{ rule, ...extra }];
}

/** The session a request names, or the rule that refuses it. */
function sessionFor(headers: Headers, ctx: OracleContext): KnownSession | RuleName {
  const id = headers.get("mcp-session-id");
  if (id === null) return "sessionMissing";
  if (!VISIBLE_ASCII.test(id)) return "sessionUnknown";
  const session = ctx.sessions.get(id);
  if (!session?.live) return "sessionUnknown";
  if (ctx.subjectOf(headers) !== session.subject) return "sessionUnknown";
  return session;
}

function versionRefused(headers: Headers): boolean {
  const version = headers.get("mcp-protocol-version");
  return version !== null && !SUPPORTED_VERSIONS.includes(version);
}

/**
 * A header naming a 2026 revision (string order, as servers compare) on a single JSON-RPC message
 * without a body claim: the 2026 lane's answer, not a refused version. Undefined otherwise.
 */
function modernHeaderOutcome(headers: Headers, bytes: Uint8Array, ctx: OracleContext): Expected[] | undefined {
  const version = headers.get("mcp-protocol-version");
  if (version === null || version < "2026-07-28") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (jsonDepth(parsed) > ctx.maxJsonDepth) return undefined;
  const message = classifyMessage(parsed);
  if (message?.kind === "notification") return one("accepted");
  if (message?.kind !== "request") return undefined;
  return one(message.method === "initialize" ? "modernHeader" : "modernEnvelope", { errorId: message.id });
}

function post(headers: Headers, body: Uint8Array | undefined, ctx: OracleContext): Expected[] {
  if (!isJsonContentType(headers.get("content-type"))) return one("contentType");
  const accept = acceptedTypes(headers.get("accept"));
  if (!accept.json && !accept.sse) return one("accept");
  const bytes = body ?? new Uint8Array();
  if (bytes.byteLength > ctx.maxBodyBytes) return one("tooLarge");
  if (versionRefused(headers)) return modernHeaderOutcome(headers, bytes, ctx) ?? one("version");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return one("parse");
  }
  if (jsonDepth(parsed) > ctx.maxJsonDepth) return one("depth");
  const batch = Array.isArray(parsed);
  const items: unknown[] = batch ? (parsed as unknown[]) : [parsed];
  const messages: Message[] = [];
  for (const item of items) {
    const message = classifyMessage(item);
    if (!message) return one(batch ? "batchShape" : "invalid");
    if (batch && message.kind === "request" && message.method === "initialize") return one("batchShape");
    messages.push(message);
  }
  if (messages.length === 0) return one("batchShape");
  const ids = messages.flatMap((m) => (m.kind === "request" ? [m.id] : []));
  const sessionful = ctx.mode === "stateful" || (ctx.mode === "auto" && accept.json && accept.sse);
  if (!sessionful) {
    const version = headers.get("mcp-protocol-version");
    if (batch && version !== null && version !== BATCH_VERSION) return one("batchVersion");
    return ids.length === 0 ? one("accepted") : one("answered", { ids, batch });
  }
  const first = messages[0];
  if (!batch && first?.kind === "request" && first.method === "initialize") {
    const params = first.params ?? {};
    if (!isObject(params.capabilities) || !isObject(params.clientInfo)) return one("initParams", { errorId: first.id });
    return one("answered", { ids, batch, mintsSession: true });
  }
  const session = sessionFor(headers, ctx);
  if (typeof session === "string") return one(session);
  if (batch && session.protocolVersion !== BATCH_VERSION) return one("batchVersion");
  return ids.length === 0 ? one("accepted") : one("answered", { ids, batch });
}

/**
 * GET and DELETE. MCP-Protocol-Version applies to every request (a MUST in the transport spec), so a
 * refused version is acceptable wherever the other checks would let the request through or refuse it.
 */
function getOrDelete(method: "GET" | "DELETE", headers: Headers, ctx: OracleContext): Expected[] {
  if (ctx.mode === "stateless") return one("method");
  const badVersion = versionRefused(headers);
  const withVersion = (outcomes: Expected[]) => (badVersion ? [...outcomes, { rule: "version" as const }] : outcomes);
  if (method === "GET" && !acceptedTypes(headers.get("accept")).sse) return withVersion(one("accept"));
  if (ctx.mode === "auto" && !headers.has("mcp-session-id")) return withVersion(one("method"));
  const session = sessionFor(headers, ctx);
  if (typeof session === "string") return withVersion(one(session));
  if (badVersion) return one("version");
  if (method === "DELETE") return one("ended", { endsSession: session.id });
  const lastEventId = headers.get("last-event-id");
  const standalone: Expected[] = !session.standaloneOpen
    ? one("stream", { standaloneOf: session.id })
    : ctx.instances > 1
      ? [...one("conflict"), ...one("stream", { standaloneOf: session.id, takesOver: true })]
      : one("conflict");
  if (lastEventId === null) return standalone;
  // A real event of one of its POST streams: the replay of that stream, which then ends by itself.
  if (ctx.postEventIds.get(lastEventId) === session.id) return [{ rule: "stream", resumes: true }];
  // Anything else is unknown to the server. Never a second standalone stream; it may be refused, and a
  // made-up id of one of this session's POST streams may be resumed as a stream that ends at once.
  const refused: Expected[] = [{ rule: "lastEventId" }, { rule: "invalid" }, { rule: "sessionUnknown" }];
  const resumes: Expected[] = isOwnPostStreamEvent(lastEventId, session.id) ? [{ rule: "stream", resumes: true }] : [];
  return [...standalone, ...resumes, ...refused];
}

/** `<session>.<18 hex>[.<request>]_<seq>`: names a POST stream of this session (real or made up). */
function isOwnPostStreamEvent(eventId: string, sessionId: string): boolean {
  if (!eventId.startsWith(`${sessionId}.`)) return false;
  const rest = eventId.slice(sessionId.length + 1);
  return /^[0-9a-f]{18}(\.[^_]*)?_\d+$/.test(rest);
}

/** Every outcome the documented contract allows for this request (usually exactly one). */
export function expectedOutcomes(request: Request, body: Uint8Array | undefined, ctx: OracleContext): Expected[] {
  const url = new URL(request.url);
  if (url.pathname !== ctx.endpointPath) return one("path");
  const headers = request.headers;
  const host = headers.get("host") ?? url.host;
  const origin = headers.get("origin");
  if (!loopbackHost(host) || (origin !== null && !loopbackOrigin(origin))) return one("forbidden");
  switch (request.method) {
    case "POST":
      return post(headers, body, ctx);
    case "GET":
    case "DELETE":
      return getOrDelete(request.method, headers, ctx);
    default:
      return one("method");
  }
}
