// Workers entry: the same server from `@mcp-edge/core` (sessions available: in-memory stores, GET
// streams, resumability), configured stateless. Shows what the session machinery adds to a bundle.
import { McpServer } from "@mcp-edge/core";
import { addEchoTool } from "./_echo.mjs";

export default addEchoTool(new McpServer({ name: "edge", version: "1.0.0", stateless: true }));
