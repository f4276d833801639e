// Diagnostic: mcp-edge stateless JSON on the floor's bare @hono/node-server bridge instead of
// @mcp-edge/node, so the core's own cost can be told apart from the Node entry's.
import { oursServer, serveOursBare } from "./_ours.mjs";

serveOursBare(oursServer({ stateless: true }));
