/**
 * @mcp-edge/cloudflare: Cloudflare Workers entries for an mcp-edge `McpServer`.
 *
 * `export default server` already is a Worker (the core's `fetch`); `createWorker` adds typed env/ctx
 * plumbing and the Workers default mode.
 */
export {
  createWorker,
  type McpWorker,
  type ServerFactory,
  type WorkerExecutionContext,
  type WorkerRequestContext,
  workerContext,
} from "./worker.js";
