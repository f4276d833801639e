import { era2026Support } from "../era2026/lane.js";
import { sessionSupport } from "../http/session-support.js";
import type { McpServerOptions } from "./options.js";
import { McpServerCore } from "./server-core.js";

/**
 * An MCP server that speaks both protocol lanes (see McpServerOptions.lanes) and can keep sessions: stateless or stateful by configuration, or per request
 * from the Accept header when neither is chosen (see McpServerOptions.stateless).
 */
export class McpServer extends McpServerCore {
  constructor(options: McpServerOptions) {
    super(options, sessionSupport, era2026Support);
  }
}
