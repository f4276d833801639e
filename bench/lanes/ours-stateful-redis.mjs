// mcp-edge, stateful, JSON answers, with sessions, streams and events in Redis (REDIS_URL) as a
// distributed deployment configures them, served by @mcp-edge/node. redis-server runs outside this
// process: its CPU is reported separately, never in the lane's CPU per request.
import { serveOurs } from "./_ours.mjs";
import { oursOnRedis } from "./_redis.mjs";

// Started as one instance of the pair lane: go when the proxy process goes, however it ends.
if (process.env.BENCH_EXIT_WITH_PARENT) process.stdin.on("end", () => process.exit(0)).resume();

await serveOurs(await oursOnRedis());
