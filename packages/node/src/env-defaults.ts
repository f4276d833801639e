import { allowListsFromEnv, type PlatformDefaults } from "@mcp-edge/core";

/** A handler that takes platform defaults (an `McpServer`); other Fetch handlers are served as they are. */
interface TakesPlatformDefaults {
  applyPlatformDefaults(defaults: PlatformDefaults): unknown;
}

function takesPlatformDefaults(handler: unknown): handler is TakesPlatformDefaults {
  return (
    typeof handler === "object" &&
    handler !== null &&
    typeof (handler as Partial<TakesPlatformDefaults>).applyPlatformDefaults === "function"
  );
}

/**
 * `MCP_ALLOWED_HOSTS` / `MCP_ALLOWED_ORIGINS` from the process environment, as every platform entry
 * reads them, so a server bound to a public interface names its hosts without code changes. The
 * server's own `allowedHosts` / `allowedOrigins` options still win.
 */
export function applyEnvAllowLists(handler: unknown, env: NodeJS.ProcessEnv = process.env): void {
  if (!takesPlatformDefaults(handler)) return;
  const lists = allowListsFromEnv((name) => env[name]);
  if (lists.allowedHosts === undefined && lists.allowedOrigins === undefined) return;
  handler.applyPlatformDefaults(lists);
}
