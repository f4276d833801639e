import * as ErrorCode from "../protocol/error-code.js";
import { isObject } from "../protocol/jsonrpc.js";
import type { ModernRejection } from "./messages.js";
import { decodeHeaderValue } from "./standard-headers.js";

/** A tool argument a client repeats in an `Mcp-Param-<name>` header, declared with `x-mcp-header`. */
interface ParamHeader {
  path: string[];
  header: string;
  type: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRIMITIVE = new Set(["string", "integer", "boolean", "number"]);
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const declared = new WeakMap<object, ParamHeader[]>();

/**
 * The `x-mcp-header` declarations of an input schema: primitive properties reached from the root through
 * `properties` alone (a header cannot stand for a value inside an array or a union). Malformed
 * declarations are not headers clients send, so they are left out.
 */
function collect(schema: Record<string, unknown>, path: string[], out: ParamHeader[]): void {
  const properties = schema.properties;
  if (!isObject(properties)) return;
  for (const [key, child] of Object.entries(properties)) {
    if (!isObject(child)) continue;
    const header = child["x-mcp-header"];
    const type = child.type;
    if (typeof header === "string" && TOKEN.test(header) && typeof type === "string" && PRIMITIVE.has(type)) {
      out.push({ path: [...path, key], header, type });
    }
    collect(child, [...path, key], out);
  }
}

function declarations(inputSchema: Record<string, unknown>): ParamHeader[] {
  let found = declared.get(inputSchema);
  if (found === undefined) {
    found = [];
    collect(inputSchema, [], found);
    declared.set(inputSchema, found);
  }
  return found;
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return node;
}

function asHeaderText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * `tools/call` of a tool whose input schema declares `x-mcp-header`: each such argument present in the
 * body must be repeated, equal, in its `Mcp-Param-<name>` header (integers compare as numbers).
 */
export function checkParamHeaders(
  headers: Headers,
  inputSchema: Record<string, unknown> | undefined,
  args: unknown,
  id: ModernRejection["id"],
): ModernRejection | undefined {
  if (inputSchema === undefined) return undefined;
  for (const { path, header, type } of declarations(inputSchema)) {
    const value = valueAt(args, path);
    const text = asHeaderText(value);
    if (text === undefined) continue;
    const name = `mcp-param-${header}`;
    const raw = headers.get(name);
    const decoded = raw === null ? undefined : decodeHeaderValue(raw.trim());
    const equal =
      decoded !== undefined &&
      ((type === "integer" || type === "number") && typeof value === "number" && DECIMAL.test(decoded)
        ? Number(decoded) === value
        : decoded === text);
    if (!equal) {
      return {
        status: 400,
        code: ErrorCode.HeaderMismatch,
        message: `Header mismatch: Mcp-Param-${header} does not match the argument ${path.join(".")}`,
        data: { mismatch: { header: raw, body: value } },
        id,
      };
    }
  }
  return undefined;
}
