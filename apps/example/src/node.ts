/**
 * Node entry: `node dist/node.js` serves the example server at http://HOST:PORT/mcp.
 * Settings come from the environment (see config.ts); a bad value stops startup with a clear message.
 * MCP_STORE=redis|upstash opens the store first (store.ts); an unreachable store does not stop startup.
 */
import { type ServerHandle, serve } from "@mcp-edge/node";
import { devAuthFromEnv } from "./auth/dev-auth.js";
import { ConfigError, type ExampleConfig, loadConfig } from "./config.js";
import { createExampleServer } from "./server.js";
import { openStore } from "./store.js";

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
const instanceId = config.instanceId ?? `pid-${process.pid}`;
const store = await openStore(config.store);
// MCP_AUTH=dev: an OAuth-protected endpoint with a local development issuer (auth/dev-auth.ts).
const devAuth = await devAuthFromEnv(process.env, config);
const server = createExampleServer({ ...config.serverOptions, ...store.options, ...devAuth?.options, instanceId });

// Signals are handled here rather than by serve(), so the store's connections close after the HTTP server.
// Installed before the listening line is printed: whoever reads it may send SIGTERM at once.
let handle: ServerHandle | undefined;
let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second signal: the operator is done waiting.
    process.exit(signal === "SIGINT" ? 130 : 143);
  }
  stopping = true;
  Promise.resolve(handle?.close())
    .then(() => store.close())
    .then(() => devAuth?.issuer.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("mcp-edge example: error during shutdown", error);
        process.exit(1);
      },
    );
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

handle = await serve(server, { port: config.port, hostname: config.host, handleSignals: false });
const host = config.host.includes(":") ? `[${config.host}]` : config.host;
console.log(
  `mcp-edge example listening on http://${host}:${handle.port}/mcp (mode: ${config.mode}, store: ${store.description}, instance: ${instanceId})`,
);
if (devAuth) console.log(await devAuth.describe());
