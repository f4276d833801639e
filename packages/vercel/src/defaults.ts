import { allowListsFromEnv, type McpServerCore, type PlatformDefaults, parseAllowList } from "@mcp-edge/core";

type ProcessEnv = Readonly<Record<string, string | undefined>>;

/**
 * The host names Vercel itself gives a deployment, as its system environment variables state them:
 * the deployment's own URL, its branch URL (previews) and the project's production domain. They come
 * from the platform, never from a request. Loopback stays in, for `next dev` with these variables pulled.
 */
const VERCEL_HOST_VARIABLES = ["VERCEL_URL", "VERCEL_BRANCH_URL", "VERCEL_PROJECT_PRODUCTION_URL"];
const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"];

function vercelHosts(env: ProcessEnv): string[] | undefined {
  const hosts = VERCEL_HOST_VARIABLES.flatMap((name) => parseAllowList(env[name]) ?? []);
  return hosts.length === 0 ? undefined : [...LOOPBACK_HOSTS, ...hosts];
}

/** `process.env` where there is one: Next.js provides it on the Node.js and Edge runtimes alike. */
function processEnv(): ProcessEnv {
  return (globalThis as { process?: { env?: ProcessEnv } }).process?.env ?? {};
}

/**
 * Vercel's platform defaults (the rationale is on `PlatformDefaults`): stateless on the Node and Edge
 * runtimes alike. Host names, first set wins: the server's `allowedHosts`, then `MCP_ALLOWED_HOSTS` (custom domains go
 * there), then Vercel's own names for the deployment; with none of them, loopback only. Origins:
 * `allowedOrigins` or `cors`, then `MCP_ALLOWED_ORIGINS`. Repeat calls (two routes sharing one
 * server) are harmless.
 */
export function vercelDefaults(env: ProcessEnv = processEnv()): PlatformDefaults {
  const lists = allowListsFromEnv((name) => env[name]);
  const defaults: PlatformDefaults = { stateless: true, ...lists };
  if (lists.allowedHosts === undefined) {
    const hosts = vercelHosts(env);
    if (hosts !== undefined) defaults.allowedHosts = hosts;
  }
  return defaults;
}

export function applyVercelDefaults(server: McpServerCore): void {
  server.applyPlatformDefaults(vercelDefaults());
}
