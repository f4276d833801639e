/**
 * The Web Fetch entry for Cloudflare Workers, Deno (`deno serve`) and Bun: the default export is the
 * McpServer, whose `fetch` is the handler. Stateless, because isolates share no memory for sessions.
 */
import { createExampleServer } from "./server.js";

export default createExampleServer({ stateless: true });
