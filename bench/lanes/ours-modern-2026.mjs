// mcp-edge, a 2026-07-28 request: the `_meta` envelope and the routing headers, no session, JSON answers.
// The server is the one every stateless lane uses (both lanes served); the request's claim routes it.
import { oursServer, serveOurs } from "./_ours.mjs";

await serveOurs(oursServer({ stateless: true }));
