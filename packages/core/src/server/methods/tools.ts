import * as ErrorCode from "../../protocol/error-code.js";
import { McpError } from "../../protocol/jsonrpc.js";
import type { CallToolResult } from "../../protocol/types.js";
import type { RequestContext } from "../context.js";
import { paginate } from "../pagination.js";
import type { Registry } from "../registry.js";

export function listTools(registry: Registry, params: Record<string, unknown> | undefined, pageSize: number) {
  return paginate(registry.toolList(), params, pageSize, "tools");
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}

/**
 * tools/call. An unknown tool is a protocol error (-32602); invalid arguments and errors thrown by
 * the handler are tool errors (`isError: true`) the model can read and correct. An McpError thrown
 * on purpose still crosses as a JSON-RPC error.
 */
export async function callTool(
  registry: Registry,
  params: Record<string, unknown> | undefined,
  ctx: RequestContext,
  onError: (error: unknown) => void,
): Promise<CallToolResult> {
  const name = params?.name;
  if (typeof name !== "string") throw new McpError(ErrorCode.InvalidParams, "tools/call needs a tool name");
  const tool = registry.tools.get(name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  const rawArgs = params?.arguments ?? {};
  if (typeof rawArgs !== "object" || rawArgs === null || Array.isArray(rawArgs)) {
    return errorResult("Invalid arguments: expected an object");
  }
  const validated = tool.input.validate(rawArgs);
  const checked = isPromise(validated) ? await validated : validated;
  if (!checked.ok) return errorResult(checked.message);

  let result: CallToolResult;
  try {
    const produced = tool.handler(checked.value, ctx);
    result = isPromise(produced) ? await produced : produced;
  } catch (error) {
    if (error instanceof McpError) throw error;
    onError(error);
    return errorResult(error instanceof Error && error.message ? error.message : "Tool execution failed");
  }
  if (!result || !Array.isArray(result.content)) {
    if (result && typeof result.structuredContent === "object") {
      result = { ...result, content: [{ type: "text", text: JSON.stringify(result.structuredContent) }] };
    } else {
      onError(new TypeError(`Tool "${name}" returned no content array`));
      throw new McpError(ErrorCode.InternalError, "Internal error");
    }
  }
  if (tool.output && !result.isError) {
    if (result.structuredContent === undefined) {
      throw new McpError(
        ErrorCode.InternalError,
        `Tool "${name}" declares an outputSchema but returned no structuredContent`,
      );
    }
    const outputCheck = await tool.output.validate(result.structuredContent);
    // Send what the schema produced: tools/list advertises its output side (after transforms).
    if (outputCheck.ok) result = { ...result, structuredContent: outputCheck.value };
    else {
      throw new McpError(
        ErrorCode.InternalError,
        `Tool "${name}" returned structuredContent that does not match its outputSchema`,
      );
    }
  }
  return result;
}
