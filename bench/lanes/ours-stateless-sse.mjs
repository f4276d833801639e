// mcp-edge, stateless, every answer framed as an SSE stream (responseMode "sse").
import { oursServer, serveOurs } from "./_ours.mjs";

await serveOurs(oursServer({ stateless: true, responseMode: "sse" }));
