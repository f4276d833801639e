import * as ErrorCode from "../protocol/error-code.js";
import { McpError } from "../protocol/jsonrpc.js";

/**
 * Cursor pagination over a list, as a list result: `{ [field]: page, nextCursor? }`. Cursors are
 * opaque to clients (base64 of an offset) and an invalid one is -32602, as the spec asks.
 */
export function paginate<T, F extends string>(
  items: readonly T[],
  params: Record<string, unknown> | undefined,
  pageSize: number,
  field: F,
): { [K in F]: T[] } & { nextCursor?: string } {
  const { page, nextCursor } = pageOf(items, params, pageSize);
  const result = { [field]: page } as { [K in F]: T[] } & { nextCursor?: string };
  if (nextCursor !== undefined) result.nextCursor = nextCursor;
  return result;
}

function pageOf<T>(
  items: readonly T[],
  params: Record<string, unknown> | undefined,
  pageSize: number,
): { page: T[]; nextCursor?: string } {
  const cursor = params?.cursor;
  let offset = 0;
  if (cursor !== undefined) {
    offset = typeof cursor === "string" ? decodeCursor(cursor) : -1;
    if (offset < 0 || offset > items.length) throw new McpError(ErrorCode.InvalidParams, "Invalid cursor");
  }
  if (offset === 0 && items.length <= pageSize) return { page: items as T[] };
  const end = offset + pageSize;
  const page = items.slice(offset, end);
  return end < items.length ? { page, nextCursor: btoa(`o:${end}`) } : { page };
}

function decodeCursor(cursor: string): number {
  try {
    const decoded = atob(cursor);
    if (!decoded.startsWith("o:")) return -1;
    const offset = Number(decoded.slice(2));
    return Number.isSafeInteger(offset) ? offset : -1;
  } catch {
    return -1;
  }
}
