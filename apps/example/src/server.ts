/**
 * The example server: one definition reused by every platform entry (Node, Workers, Deno, Bun, ...).
 */
import { McpServer, type McpServerOptions } from "@mcp-edge/core";
import { registerConformancePrompts } from "./conformance/prompts.js";
import { registerConformanceResources } from "./conformance/resources.js";
import { registerConformanceTools } from "./conformance/tools.js";
import { registerDemo } from "./demo.js";

export const SERVER_NAME = "mcp-edge-example";
export const SERVER_VERSION = "0.1.0";

export function createExampleServer(options: Partial<McpServerOptions> = {}): McpServer {
  const server = new McpServer({
    ...options,
    name: options.name ?? SERVER_NAME,
    version: options.version ?? SERVER_VERSION,
    instructions:
      options.instructions ??
      "Demo tools: add, echo, countdown. Every test_* tool, test:// resource and test_* prompt exists for the MCP conformance suite.",
  });
  registerDemo(server);
  registerConformanceTools(server);
  registerConformanceResources(server);
  registerConformancePrompts(server);
  return server;
}
