import type { McpServerOptions } from "./options.js";
import { McpServerCore } from "./server-core.js";

/**
 * Options of the stateless preset: everything except what only sessions use. `streamManager` stays:
 * it carries list changes and resource updates to 2026 `subscriptions/listen` streams on every
 * instance; `authSubject` binds 2026 request state to its principal; `maxStreamDurationMs` bounds listens.
 */
export type StatelessServerOptions = Omit<
  McpServerOptions,
  "stateless" | "sessionStore" | "eventStore" | "sessionIdleTimeoutMs" | "serverRequestTimeoutMs" | "retryMs"
> & { stateless?: true };

/**
 * The stateless preset (`@mcp-edge/core/stateless`): the same server definition and handler, built
 * without the session code, for bundles where size counts (Workers, Deno Deploy, Lambda). Every
 * request is answered on its own: the 2025 lane statelessly (GET and DELETE answer 405), and the
 * 2026-07-28 lane in full when the application imports `lane2026` and passes it. Without it a 2026
 * request is answered 400 for its unsupported `MCP-Protocol-Version`, which tells a 2026 client to
 * fall back to `initialize`.
 */
export class StatelessMcpServer extends McpServerCore {
  constructor(options: StatelessServerOptions) {
    const asked = options as McpServerOptions;
    if (asked.stateless === false || asked.sessionStore !== undefined) {
      throw new Error("Sessions need McpServer from @mcp-edge/core; @mcp-edge/core/stateless serves stateless only");
    }
    super(options, undefined, options.lane2026);
  }
}
