import * as ErrorCode from "../../protocol/error-code.js";
import { McpError } from "../../protocol/jsonrpc.js";
import type { ReadResourceResult, Resource } from "../../protocol/types.js";
import type { RequestContext } from "../context.js";
import { paginate } from "../pagination.js";
import type { Registry } from "../registry.js";

export async function listResources(
  registry: Registry,
  params: Record<string, unknown> | undefined,
  pageSize: number,
  ctx: RequestContext,
) {
  const all: Resource[] = [...registry.resources.values()].map((resource) => resource.definition);
  for (const template of registry.templates) {
    if (template.config.list) all.push(...(await template.config.list(ctx)));
  }
  return paginate(all, params, pageSize, "resources");
}

export function listResourceTemplates(
  registry: Registry,
  params: Record<string, unknown> | undefined,
  pageSize: number,
) {
  const all = registry.templates.map((template) => template.definition);
  return paginate(all, params, pageSize, "resourceTemplates");
}

export function requireUri(params: Record<string, unknown> | undefined): string {
  const uri = params?.uri;
  if (typeof uri !== "string" || uri.length === 0)
    throw new McpError(ErrorCode.InvalidParams, "A resource uri is required");
  if (!URL.canParse(uri)) throw new McpError(ErrorCode.InvalidParams, `Invalid resource uri: ${uri}`);
  return uri;
}

/** resources/read: exact URIs first, then templates in registration order; -32002 when nothing matches. */
export async function readResource(
  registry: Registry,
  params: Record<string, unknown> | undefined,
  ctx: RequestContext,
): Promise<ReadResourceResult> {
  const uri = requireUri(params);
  const resource = registry.resources.get(uri);
  if (resource) return resource.handler(new URL(uri), ctx);
  for (const template of registry.templates) {
    const variables = template.template.match(uri);
    if (variables) return template.handler(new URL(uri), variables, ctx);
  }
  throw new McpError(ErrorCode.ResourceNotFound, "Resource not found", { uri });
}
