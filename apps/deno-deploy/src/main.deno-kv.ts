// Deno with sessions in Deno KV: a local file or memory under `deno serve`, the app's database on
// Deno Deploy (one per timeline). Needs `"unstable": ["kv"]` in deno.json.
import { McpServer } from "@mcp-edge/core";
import { DenoKvEventStore, DenoKvSessionStore, DenoKvStreamManager } from "@mcp-edge/deno-kv";
import { defineTools, SERVER_INFO } from "./tools.ts";

const kv = await Deno.openKv(Deno.env.get("DENO_KV_PATH"));

export default defineTools(
  new McpServer({
    ...SERVER_INFO,
    sessionStore: new DenoKvSessionStore({ kv }),
    streamManager: new DenoKvStreamManager({ kv }),
    eventStore: new DenoKvEventStore({ kv }),
  }),
);
