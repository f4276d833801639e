// SLOT (filled by a later change): mcp-edge, stateful, sessions in Redis (REDIS_URL).
// The harness skips this lane with a printed note until this file serves one, and whenever
// REDIS_URL is unset. Contract: listen on 127.0.0.1:$PORT, print `READY <port>`, path /mcp,
// `echo` tool as in _ours.mjs, `stateless: false, responseMode: "json"`, a RedisSessionStore on REDIS_URL.
export const slot = "not implemented: needs @mcp-edge/redis wiring";
process.stderr.write(`ours-stateful-redis: ${slot}\n`);
process.exit(78);
