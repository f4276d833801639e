/**
 * @mcp-edge/cloudflare: Cloudflare Workers entries for an mcp-edge `McpServer`.
 *
 * `export default server` already is a Worker (the core's `fetch`); `createWorker` adds typed env/ctx
 * plumbing and the Workers default mode, and with `sessions` keeps sessions in Durable Objects
 * (`McpSessionObject`).
 */

export type { ObjectState, ObjectStorage, ObjectStub, SessionNamespace } from "./durable/platform.js";
export { McpSessionObject } from "./durable/session-object.js";
export { type DurableSessionOptions, type DurableSessionStorage, durableSessionStorage } from "./durable/storage.js";
export { DurableStreamManager } from "./durable/stream-manager.js";
export {
  createWorker,
  type McpWorker,
  type ServerFactory,
  type WorkerExecutionContext,
  type WorkerOptions,
  type WorkerRequestContext,
  workerContext,
} from "./worker.js";
