// The example server's Worker (apps/example/src/worker.ts: every fixture tool, zod schemas, the three
// session modes, Durable Objects by default in wrangler.toml). Needs its bindings to answer, so the
// bench reports its size only.
export { default, McpSessionObject } from "../../apps/example/src/worker.ts";
