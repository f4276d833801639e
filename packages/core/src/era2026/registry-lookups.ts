// What only the 2026 lane reads from the registry: kept here, not on the shared Registry or
// Dispatcher, so a bundle without the lane carries none of it.
import type { CacheHint } from "../server/options.js";
import type { Registry } from "../server/registry.js";

/** The advertised input schema of a tool (for its `x-mcp-header` declarations). */
export function toolInputSchema(registry: Registry, name: string): Record<string, unknown> | undefined {
  const schema = registry.tools.get(name)?.definition.inputSchema;
  return typeof schema === "object" && schema !== null ? (schema as Record<string, unknown>) : undefined;
}

/** The cache hint of whatever serves `resources/read` for `uri`: the exact resource, else the first matching template. */
export function resourceCacheHint(registry: Registry, uri: string): CacheHint | undefined {
  const resource = registry.resources.get(uri);
  if (resource) return resource.cacheHint;
  return registry.templates.find((template) => template.template.match(uri))?.config.cacheHint;
}
