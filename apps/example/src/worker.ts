/**
 * The Cloudflare Workers entry (the root wrangler.toml's `main`): stateless, because isolates share no
 * memory for sessions. `createWorker` reads the public host names from the Worker's bindings
 * (`MCP_ALLOWED_HOSTS`, `MCP_ALLOWED_ORIGINS` in `[vars]`); with none set only loopback names pass, so
 * `wrangler dev` is protected against DNS rebinding and a deployment answers 403 until they are set.
 *
 * `deno serve` and Bun load this module too (its `fetch` takes the request first, as theirs do); they
 * pass no bindings, so there it serves loopback names only.
 */
import { createWorker } from "@mcp-edge/cloudflare";
import { createExampleServer } from "./server.js";

export default createWorker(createExampleServer({ stateless: true }));
