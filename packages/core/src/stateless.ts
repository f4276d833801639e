// `@mcp-edge/core/stateless`: the stateless preset. The same API as `@mcp-edge/core` for defining and
// serving a server, without the session machinery (stores, GET streams, resumability), so a Workers
// or Lambda bundle carries only what a stateless server runs.
export * from "./definition-api.js";
export { StatelessMcpServer as McpServer, type StatelessServerOptions } from "./server/stateless-server.js";
