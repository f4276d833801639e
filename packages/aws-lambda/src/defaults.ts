import type { McpServerCore, PlatformDefaults } from "@mcp-edge/core";

/**
 * Lambda instances share no memory, so an in-memory session created on one is unknown to the next:
 * unless the application configured a `sessionStore` or chose `stateless` itself, serve statelessly.
 * Functions answer on public hostnames (API Gateway, Function URLs), where the loopback-only Host
 * check would refuse every request and DNS rebinding reaches nothing private. The core cannot tell
 * Lambda from Node with Web APIs, hence the entry says it. Repeat calls are harmless.
 */
const LAMBDA_DEFAULTS: PlatformDefaults = { stateless: true, allowedHosts: ["*"] };

export function applyLambdaDefaults(server: McpServerCore): void {
  server.applyPlatformDefaults(LAMBDA_DEFAULTS);
}
