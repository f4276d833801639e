/**
 * `MCP_AUTH=dev`: the example server as an OAuth 2.1 protected resource, with a local issuer
 * (dev-issuer.ts) on the next port, so a client can try discovery, the 401 challenge, tokens and scopes
 * on loopback. Unset, nothing changes. The issuer trusts every client: development only.
 */

import { jwtAuth } from "@mcp-edge/auth";
import type { McpServerOptions } from "@mcp-edge/core";
import { type DevIssuer, startDevIssuer } from "./dev-issuer.js";

/** Every request needs `mcp`; the tools that change the server for everyone need `mcp:admin` too. */
export const DEV_SCOPES = ["mcp", "mcp:admin"] as const;
const ADMIN_TOOLS = ["toggle_demo_tool", "notify_resource_updated"];

export interface DevAuth {
  options: Pick<McpServerOptions, "auth">;
  issuer: DevIssuer;
  /** Lines for the console: where the issuer is, and tokens to paste into a client. */
  describe(): Promise<string>;
}

/** Undefined unless MCP_AUTH=dev; an error for any other value, so a typo never serves unprotected. */
export async function devAuthFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  endpoint: { host: string; port: number },
): Promise<DevAuth | undefined> {
  const mode = env.MCP_AUTH?.trim().toLowerCase();
  if (mode === undefined || mode === "" || mode === "off") return undefined;
  if (mode !== "dev") throw new Error(`MCP_AUTH must be "dev" or unset; got "${env.MCP_AUTH}"`);
  if (endpoint.port === 0) throw new Error("MCP_AUTH=dev needs a fixed PORT: tokens name the endpoint's URL");
  const host = endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host;
  const resource = `http://${host}:${endpoint.port}/mcp`;
  const issuer = await startDevIssuer({ resource, scopes: DEV_SCOPES, host: endpoint.host, port: 0 });
  const auth = jwtAuth({
    issuer: issuer.url,
    jwksUrl: issuer.jwksUrl,
    resource,
    requiredScopes: ["mcp"],
    scopesSupported: [...DEV_SCOPES],
    scopes: { tools: Object.fromEntries(ADMIN_TOOLS.map((tool) => [tool, ["mcp:admin"]])) },
    resourceName: "mcp-edge example (development issuer)",
  });
  return {
    options: { auth },
    issuer,
    describe: async () =>
      [
        `auth: dev issuer at ${issuer.url} (client_credentials grant at ${issuer.url}/token; any client id)`,
        `auth: a user token (scope "mcp"):             ${await issuer.issue("dev-user", ["mcp"])}`,
        `auth: an admin token (scope "mcp mcp:admin"): ${await issuer.issue("dev-admin", [...DEV_SCOPES])}`,
      ].join("\n"),
  };
}
