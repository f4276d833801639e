// mcp-edge, stateful with the in-memory session store: one session opened by the harness, kept for
// every timed request (Mcp-Session-Id), JSON answers.
import { oursServer, serveOurs } from "./_ours.mjs";

await serveOurs(oursServer({ stateless: false, responseMode: "json" }));
