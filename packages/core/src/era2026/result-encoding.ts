import * as Defaults from "../protocol/defaults.js";
import * as ErrorCode from "../protocol/error-code.js";
import { type JsonRpcErrorObject, McpError } from "../protocol/jsonrpc.js";
import * as MetaKey from "../protocol/meta-key.js";
import * as Method from "../protocol/method.js";
import type { Implementation } from "../protocol/types.js";
import type { CacheableMethod, CacheHint, McpServerOptions } from "../server/options.js";

type Result = Record<string, unknown>;

const CACHEABLE = new Set<string>([
  Method.ServerDiscover,
  Method.ToolsList,
  Method.PromptsList,
  Method.ResourcesList,
  Method.ResourcesTemplatesList,
  Method.ResourcesRead,
]);

/** The only methods whose result may be `input_required` (or another non-complete type). */
export const INPUT_CAPABLE = new Set<string>([Method.ToolsCall, Method.PromptsGet, Method.ResourcesRead]);

export interface ResolvedCacheHints {
  all: CacheHint;
  methods: Partial<Record<CacheableMethod, CacheHint>>;
}

function checkHint(hint: CacheHint | undefined, where: string): CacheHint {
  if (hint === undefined) return {};
  if (hint.ttlMs !== undefined && !(Number.isSafeInteger(hint.ttlMs) && hint.ttlMs >= 0)) {
    throw new RangeError(`${where}.ttlMs must be an integer >= 0`);
  }
  if (hint.cacheScope !== undefined && hint.cacheScope !== "public" && hint.cacheScope !== "private") {
    throw new RangeError(`${where}.cacheScope must be "public" or "private"`);
  }
  return hint;
}

/** Validates the server's cache hints once, at construction: a bad one is a configuration error. */
export function resolveCacheHints(options: McpServerOptions["cacheHints"]): ResolvedCacheHints {
  const methods: Partial<Record<CacheableMethod, CacheHint>> = {};
  for (const [method, hint] of Object.entries(options?.methods ?? {})) {
    methods[method as CacheableMethod] = checkHint(hint, `cacheHints.methods["${method}"]`);
  }
  return { all: checkHint(options, "cacheHints"), methods };
}

function validTtl(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function validScope(value: unknown): value is "public" | "private" {
  return value === "public" || value === "private";
}

/**
 * A handler's result as the 2026 lane sends it: `resultType` stamped, cache fields on cacheable
 * results (per field: the handler's valid value, the item's hint, the method's, the server's, the
 * default), and serverInfo in `_meta`. A copy: handlers may return shared or frozen objects.
 */
export function encodeResult(
  method: string,
  result: Result,
  serverInfo: Implementation,
  hints: ResolvedCacheHints,
  itemHint?: CacheHint,
): Result {
  const resultType = result.resultType ?? "complete";
  if (resultType !== "complete" && !INPUT_CAPABLE.has(method)) {
    throw new McpError(ErrorCode.InternalError, `${method} cannot answer resultType ${String(resultType)}`);
  }
  const out: Result = { ...result, resultType };
  if (resultType === "complete" && CACHEABLE.has(method)) {
    const forMethod = hints.methods[method as CacheableMethod];
    if (!validTtl(out.ttlMs)) {
      out.ttlMs = itemHint?.ttlMs ?? forMethod?.ttlMs ?? hints.all.ttlMs ?? Defaults.cacheTtlMs;
    }
    if (!validScope(out.cacheScope)) {
      out.cacheScope = itemHint?.cacheScope ?? forMethod?.cacheScope ?? hints.all.cacheScope ?? Defaults.cacheScope;
    }
  }
  out._meta = withServerInfo(result._meta, serverInfo);
  return out;
}

export function withServerInfo(meta: unknown, serverInfo: Implementation): Record<string, unknown> {
  const own =
    typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
  return MetaKey.ServerInfo in own ? { ...own } : { ...own, [MetaKey.ServerInfo]: serverInfo };
}

/** A thrown error in 2026 terms: a missing resource is -32602 with its URI, as the revision says. */
export function modernErrorObject(error: JsonRpcErrorObject): JsonRpcErrorObject {
  if (error.code !== ErrorCode.ResourceNotFound) return error;
  return { ...error, code: ErrorCode.InvalidParams };
}
