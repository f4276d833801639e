import * as ErrorCode from "../../protocol/error-code.js";
import { isObject, McpError } from "../../protocol/jsonrpc.js";
import type { CompleteResult } from "../../protocol/types.js";
import type { CompleteCallback, Registry } from "../registry.js";

const MAX_VALUES = 100;

function findCallback(
  registry: Registry,
  ref: Record<string, unknown>,
  argument: string,
): CompleteCallback | undefined {
  if (ref.type === "ref/prompt") {
    const prompt = typeof ref.name === "string" ? registry.prompts.get(ref.name) : undefined;
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${String(ref.name)}`);
    return prompt.config.complete?.[argument];
  }
  if (ref.type === "ref/resource") {
    const uri = ref.uri;
    const template = registry.templates.find((entry) => entry.template.template === uri);
    if (!template) {
      if (typeof uri === "string" && registry.resources.has(uri)) return undefined;
      throw new McpError(ErrorCode.InvalidParams, `Unknown resource template: ${String(uri)}`);
    }
    return template.config.complete?.[argument];
  }
  throw new McpError(ErrorCode.InvalidParams, "ref.type must be ref/prompt or ref/resource");
}

/** completion/complete: at most 100 values, with `total` and `hasMore` when there were more. */
export async function complete(
  registry: Registry,
  params: Record<string, unknown> | undefined,
): Promise<CompleteResult> {
  const ref = params?.ref;
  const argument = params?.argument;
  if (!isObject(ref) || !isObject(argument) || typeof argument.name !== "string") {
    throw new McpError(ErrorCode.InvalidParams, "completion/complete needs ref and argument.name");
  }
  const callback = findCallback(registry, ref, argument.name);
  if (!callback) return { completion: { values: [], hasMore: false } };
  const context = isObject(params?.context) && isObject(params.context.arguments) ? params.context.arguments : {};
  const value = typeof argument.value === "string" ? argument.value : "";
  const values = await callback(value, { arguments: context as Record<string, string> });
  if (values.length <= MAX_VALUES) return { completion: { values, total: values.length, hasMore: false } };
  return { completion: { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: true } };
}
