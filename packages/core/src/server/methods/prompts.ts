import * as ErrorCode from "../../protocol/error-code.js";
import { McpError } from "../../protocol/jsonrpc.js";
import type { GetPromptResult } from "../../protocol/types.js";
import type { RequestContext } from "../context.js";
import { paginate } from "../pagination.js";
import type { Registry } from "../registry.js";

export function listPrompts(registry: Registry, params: Record<string, unknown> | undefined, pageSize: number) {
  const all = [...registry.prompts.values()].map((prompt) => prompt.definition);
  return paginate(all, params, pageSize, "prompts");
}

/** prompts/get: arguments are strings; a missing required one is -32602. */
export async function getPrompt(
  registry: Registry,
  params: Record<string, unknown> | undefined,
  ctx: RequestContext,
): Promise<GetPromptResult> {
  const name = params?.name;
  if (typeof name !== "string") throw new McpError(ErrorCode.InvalidParams, "prompts/get needs a prompt name");
  const prompt = registry.prompts.get(name);
  if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
  const raw = params?.arguments ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new McpError(ErrorCode.InvalidParams, "Prompt arguments must be an object");
  }
  const args: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string")
      throw new McpError(ErrorCode.InvalidParams, `Prompt argument "${key}" must be a string`);
    args[key] = value;
  }
  for (const declared of prompt.config.arguments ?? []) {
    if (declared.required && args[declared.name] === undefined) {
      throw new McpError(ErrorCode.InvalidParams, `Missing required argument: ${declared.name}`);
    }
  }
  return prompt.handler(args, ctx);
}
