import type { ProtectedResource } from "../server/options.js";
import { AuthGate } from "./auth-gate.js";
import type { AuthOptions } from "./types.js";

/**
 * Makes a server an OAuth 2.1 protected resource: `new McpServer({ name, version, auth:
 * protectedResource({ authenticate, resource, authorizationServers }) })`. The options are checked
 * here, so a mistake fails before the server exists.
 */
export function protectedResource(options: AuthOptions): ProtectedResource {
  return new AuthGate(options);
}
