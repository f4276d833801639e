// SLOT (filled by a later change): two mcp-edge instances sharing sessions and streams through Redis
// (RedisSessionStore + RedisStreamManager on REDIS_URL) behind a round-robin proxy on $PORT, so
// consecutive requests of one session land on different instances. Same contract as every lane:
// 127.0.0.1:$PORT, `READY <port>`, /mcp, `echo`. The harness skips it with a printed note until then.
export const slot = "not implemented: needs @mcp-edge/redis wiring and the round-robin proxy";
process.stderr.write(`ours-redis-pair: ${slot}\n`);
process.exit(78);
