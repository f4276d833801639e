#!/usr/bin/env node
/**
 * mcp-edge-upstash-bridge: serve the Upstash REST protocol from a local redis-server.
 *
 *   node packages/upstash-bridge/dist/cli.js --redis redis://127.0.0.1:6379 --port 8079 --token dev-token
 *
 * Then: new Redis({ url: "http://127.0.0.1:8079", token: "dev-token" }) from @upstash/redis.
 */
import { parseArgs } from "node:util";
import { startUpstashBridge } from "./bridge.js";

const USAGE = `Usage: mcp-edge-upstash-bridge [--redis URL] [--port N] [--host H] [--token T]

  --redis  redis-server to serve          (default: $REDIS_URL or redis://127.0.0.1:6379)
  --port   port to listen on              (default: 8079)
  --host   interface to listen on         (default: 127.0.0.1; anything else exposes your Redis)
  --token  bearer token clients must send (default: $UPSTASH_REDIS_REST_TOKEN; required)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      redis: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const token = values.token || process.env.UPSTASH_REDIS_REST_TOKEN;
  if (!token) {
    process.stderr.write(`A token is required (--token or UPSTASH_REDIS_REST_TOKEN).\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const port = Number(values.port ?? 8079);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`--port must be an integer between 0 and 65535.\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const redisUrl = values.redis || process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const bridge = await startUpstashBridge({ redisUrl, token, port, host: values.host ?? "127.0.0.1" });
  process.stdout.write(
    `upstash bridge for ${redisUrl} listening on ${bridge.url}\n` +
      `  UPSTASH_REDIS_REST_URL=${bridge.url} UPSTASH_REDIS_REST_TOKEN=<your token>\n`,
  );
  const stop = () => {
    bridge.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
