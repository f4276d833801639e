/**
 * The example server on Deno, or the entry of a Deno Deploy app. From the repository root, after
 * `pnpm build`: `MCP_DENO_KV_PATH=./mcp.sqlite deno serve --unstable-kv --allow-env --allow-net=127.0.0.1
 * --allow-read --allow-write=. --host 127.0.0.1 apps/example/dist/deno-kv/main.js`. Sessions, cross-isolate delivery and SSE replay live in Deno KV, so any
 * isolate or process sharing the database serves any request of a session.
 *
 * - `MCP_STORE`: `deno-kv` (default) or `memory` (one process only).
 * - `MCP_DENO_KV_PATH`: the database file; unset opens Deno's default (on Deno Deploy: the app's database).
 * - `MCP_MODE`: `stateful` (default), `stateless` or `auto`.
 * - `MCP_DENO_KV_POLL_MS`: how often to look for other processes' publishes (local file databases; default 1000).
 * - `MCP_ALLOWED_HOSTS`, `MCP_ALLOWED_ORIGINS`: public names accepted besides loopback.
 */
import type { DenoKv } from "@mcp-edge/deno-kv";
import { createExampleServer } from "../server.js";
import { denoServerOptions, loadDenoConfig, type Read } from "./options.js";

/** The little of the `Deno` namespace this entry uses, so it builds without Deno's types. */
interface DenoNamespace {
  env: { get(name: string): string | undefined };
  openKv(path?: string): Promise<DenoKv>;
}

const deno = (globalThis as { Deno?: DenoNamespace }).Deno;
if (!deno) throw new Error("apps/example/src/deno-kv/main.ts runs on Deno");

// Without --allow-env reading a variable throws; treat it as unset, as on a platform with no variables.
const read: Read = (name) => {
  try {
    return deno.env.get(name);
  } catch {
    return undefined;
  }
};

const config = loadDenoConfig(read);
const kv = config.store === "deno-kv" && config.mode !== "stateless" ? await deno.openKv(config.kvPath) : undefined;
const server = createExampleServer(denoServerOptions(config, kv, read));

export default { fetch: (request: Request): Promise<Response> => server.fetch(request) };
