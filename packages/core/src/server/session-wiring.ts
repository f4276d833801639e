import type { PlatformDefaults, SessionSupport, SessionWiring } from "../http/config.js";
import { rememberPlatform } from "../http/platform-context.js";
import { withPlatformStorage } from "../http/platform-storage.js";
import type { McpServerOptions } from "./options.js";

/** Stateless where instances share no memory and no store is configured (see PlatformDefaults). */
function runtimeDefaultStateless(options: McpServerOptions, platform: PlatformDefaults): boolean | undefined {
  if (options.stateless !== undefined || options.sessionStore !== undefined) return options.stateless;
  if (platform.stateless !== undefined) return platform.stateless;
  const agent = typeof navigator === "object" ? (navigator as { userAgent?: string }).userAgent : undefined;
  if (agent === "Cloudflare-Workers" || agent?.startsWith("Deno/")) return true;
  return undefined;
}

/**
 * The full preset's session side (see SessionWiring). Only `McpServer` from `@mcp-edge/core` imports
 * it, so none of it reaches the stateless bundle.
 */
export function sessionWiring(support: SessionSupport): SessionWiring {
  return {
    withPlatformStorage,
    rememberPlatform,
    resolve(options, platform, onError) {
      const stateless = runtimeDefaultStateless(options, platform);
      if (stateless === true) return { stateless };
      const runtime = support.createRuntime(options, onError);
      return { stateless, runtime, endpoints: support.bind(runtime) };
    },
  };
}
