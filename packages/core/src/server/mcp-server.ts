import { lane2026 } from "../era2026/lane.js";
import { sessionSupport } from "../http/session-support.js";
import type { McpServerOptions } from "./options.js";
import { McpServerCore } from "./server-core.js";
import { sessionWiring } from "./session-wiring.js";

const sessions = sessionWiring(sessionSupport);

/**
 * An MCP server that speaks both protocol lanes (see McpServerOptions.lanes) and can keep sessions: stateless or stateful by configuration, or per request
 * from the Accept header when neither is chosen (see McpServerOptions.stateless). The 2026-07-28 lane is
 * always carried here; `lane2026` matters to the stateless preset only.
 */
export class McpServer extends McpServerCore {
  constructor(options: McpServerOptions) {
    super(options, sessions, options.lane2026 ?? lane2026);
  }
}
