import type { McpServerOptions } from "./options.js";
import { McpServerCore } from "./server-core.js";

/** Options of the stateless preset: everything except what only sessions use. */
export type StatelessServerOptions = Omit<
  McpServerOptions,
  | "stateless"
  | "sessionStore"
  | "streamManager"
  | "eventStore"
  | "sessionIdleTimeoutMs"
  | "authSubject"
  | "serverRequestTimeoutMs"
  | "maxStreamDurationMs"
  | "retryMs"
> & { stateless?: true };

/**
 * The stateless preset (`@mcp-edge/core/stateless`): the same server definition and handler, built
 * without the session code, for bundles where size counts (Workers, Deno Deploy, Lambda). Every
 * request is answered on its own; GET and DELETE answer 405.
 */
export class StatelessMcpServer extends McpServerCore {
  constructor(options: StatelessServerOptions) {
    const asked = options as McpServerOptions;
    if (asked.stateless === false || asked.sessionStore !== undefined) {
      throw new Error("Sessions need McpServer from @mcp-edge/core; @mcp-edge/core/stateless serves stateless only");
    }
    super(options, undefined);
  }
}
