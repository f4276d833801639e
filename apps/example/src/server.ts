/**
 * The example server: one definition reused by every platform entry (Node, Workers, Deno, Bun, ...).
 */
import { McpServer, type McpServerOptions } from "@mcp-edge/core";
import { registerInputRequiredFixtures } from "./conformance/input-required.js";
import { registerParamHeaderFixtures } from "./conformance/param-headers.js";
import { registerConformancePrompts } from "./conformance/prompts.js";
import { registerConformanceResources } from "./conformance/resources.js";
import { registerServerStatelessFixtures } from "./conformance/server-stateless.js";
import { registerConformanceTools } from "./conformance/tools.js";
import { registerDemo } from "./demo.js";
import { registerInstanceDemo } from "./instance-demo.js";

export const SERVER_NAME = "mcp-edge-example";
export const SERVER_VERSION = "0.1.0";

export interface ExampleServerOptions extends Partial<McpServerOptions> {
  /**
   * What the `whoami` tool reports. Default: a random id, fixed for this server object (drawn on first
   * use: Workers allow no random values in global scope, where worker.ts builds its server).
   */
  instanceId?: string;
}

export function createExampleServer(options: ExampleServerOptions = {}): McpServer {
  const { instanceId: configuredId, ...serverOptions } = options;
  let instanceId = configuredId;
  const currentInstanceId = () => {
    instanceId ??= crypto.randomUUID().slice(0, 8);
    return instanceId;
  };
  const server = new McpServer({
    ...serverOptions,
    name: serverOptions.name ?? SERVER_NAME,
    version: serverOptions.version ?? SERVER_VERSION,
    instructions:
      serverOptions.instructions ??
      "Demo tools: add, echo, countdown, list_roots; whoami, notify_resource_updated and toggle_demo_tool for trying several instances. Every test_* tool, test:// resource and test_* prompt exists for the MCP conformance suite.",
  });
  registerDemo(server);
  registerInstanceDemo(server, currentInstanceId);
  registerConformanceTools(server);
  registerConformanceResources(server);
  registerConformancePrompts(server);
  registerInputRequiredFixtures(server);
  registerServerStatelessFixtures(server);
  registerParamHeaderFixtures(server);
  return server;
}
