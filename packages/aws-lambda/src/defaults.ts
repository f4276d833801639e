import { allowListsFromEnv, type McpServerCore, type PlatformDefaults } from "@mcp-edge/core";

/**
 * Lambda's platform defaults (the rationale is on `PlatformDefaults`): stateless, and host names from
 * the function's environment. Nothing in a function's environment names its public host (a Function URL's id, an API Gateway
 * domain), and the event's domain name is the request's own Host: so the names come from the
 * server's `allowedHosts` / `allowedOrigins` or the function's `MCP_ALLOWED_HOSTS` /
 * `MCP_ALLOWED_ORIGINS`; with neither, only loopback names pass (local emulators stay protected).
 * Repeat calls are harmless.
 */
export function lambdaDefaults(): PlatformDefaults {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  return { stateless: true, ...allowListsFromEnv((name) => env[name]) };
}

export function applyLambdaDefaults(server: McpServerCore): void {
  server.applyPlatformDefaults(lambdaDefaults());
}
