#!/usr/bin/env node
// A round-robin reverse proxy for trying the distributed pattern on one machine (docs/distributed.md):
//
//   node test-support/bin/round-robin-proxy.mjs --port 8080 http://127.0.0.1:3001 http://127.0.0.1:3002
//
// Each request goes to the next target in turn, whatever session it belongs to. Listens on 127.0.0.1 only.
import { parseArgs } from "node:util";
import { startRoundRobinProxy } from "../src/round-robin-proxy.mjs";

const USAGE = `usage: round-robin-proxy.mjs [--port N] [--quiet] TARGET...
  TARGET   an http:// origin, e.g. http://127.0.0.1:3001 (two or more for a real rotation)
  --port   port to listen on, on 127.0.0.1 (default 8080; 0 picks a free one)
  --quiet  do not log each request`;

function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: "string", default: "8080" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (error) {
  fail(error.message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
if (!Number.isInteger(port) || port > 65_535) fail(`--port must be an integer from 0 to 65535; got "${values.port}"`);
if (positionals.length === 0) fail("at least one target is needed");

let proxy;
try {
  proxy = await startRoundRobinProxy(positionals, {
    port,
    onRequest: values.quiet
      ? undefined
      : ({ method, url, target }) => console.log(`${new Date().toISOString()} ${method} ${url} -> ${target}`),
  });
} catch (error) {
  console.error(`round-robin proxy: ${error.message}`);
  process.exit(1);
}
console.log(`round-robin proxy listening on ${proxy.url} -> ${proxy.targets.join(", ")}`);
const stop = () => proxy.stop().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
