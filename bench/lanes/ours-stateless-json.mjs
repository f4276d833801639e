// mcp-edge, stateless, JSON answers (the default framing when nothing precedes the result).
import { oursServer, serveOurs } from "./_ours.mjs";

await serveOurs(oursServer({ stateless: true }));
