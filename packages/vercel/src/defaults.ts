import type { McpServerCore, PlatformDefaults } from "@mcp-edge/core";

/**
 * Vercel functions (Node or Edge) run as many instances that share no memory, so an in-memory
 * session created on one is unknown to the next: unless the application configured a `sessionStore`
 * or chose `stateless` itself, serve statelessly. They answer on public hostnames, where the
 * loopback-only Host check would refuse every request. The core cannot tell Vercel from Node with
 * Web APIs, hence the entry says it. Repeat calls (two routes sharing one server) are harmless.
 */
const VERCEL_DEFAULTS: PlatformDefaults = { stateless: true, allowedHosts: ["*"] };

export function applyVercelDefaults(server: McpServerCore): void {
  server.applyPlatformDefaults(VERCEL_DEFAULTS);
}
