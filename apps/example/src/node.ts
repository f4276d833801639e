/**
 * Node entry: `node dist/node.js` serves the example server at http://HOST:PORT/mcp.
 * Settings come from the environment (see config.ts); a bad value stops startup with a clear message.
 */
import { serve } from "@mcp-edge/node";
import { ConfigError, type ExampleConfig, loadConfig } from "./config.js";
import { createExampleServer } from "./server.js";

function configFromEnv(): ExampleConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`mcp-edge example: invalid configuration: ${error.message}`);
    process.exit(1);
  }
}

const config = configFromEnv();
const server = createExampleServer(config.serverOptions);
const handle = await serve(server, { port: config.port, hostname: config.host });
const host = config.host.includes(":") ? `[${config.host}]` : config.host;
console.log(
  `mcp-edge example listening on http://${host}:${handle.port}/mcp (mode: ${config.mode}, store: ${config.store})`,
);
