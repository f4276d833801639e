// mcp-edge, stateful, JSON answers, with sessions, events and the stream manager in Deno KV
// (`@mcp-edge/deno-kv`), on Node through `@deno/kv`'s `openKv` (the native SQLite backend a
// `deno serve` process on a database file uses) on a fresh database file, served by @mcp-edge/node.
// Neither package is a bench dependency: they are resolved from packages/deno-kv, where the
// storage contract tests run them on Node.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DenoKvEventStore, DenoKvSessionStore, DenoKvStreamManager } from "../../packages/deno-kv/dist/index.js";
import { oursServer, serveOurs } from "./_ours.mjs";

const { openKv } = createRequire(new URL("../../packages/deno-kv/package.json", import.meta.url))("@deno/kv");

const dir = mkdtempSync(join(tmpdir(), "mcp-edge-bench-kv-"));
// @mcp-edge/node exits the process on SIGTERM once it has closed: the database goes with it.
process.once("exit", () => rmSync(dir, { recursive: true, force: true }));

const kv = await openKv(join(dir, "mcp.sqlite"));
await serveOurs(
  oursServer({
    stateless: false,
    responseMode: "json",
    sessionStore: new DenoKvSessionStore({ kv }),
    eventStore: new DenoKvEventStore({ kv }),
    streamManager: new DenoKvStreamManager({ kv }),
  }),
);
