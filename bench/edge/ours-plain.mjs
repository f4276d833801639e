// Workers entry: mcp-edge's stateless preset (what a Worker runs by default) with a plain JSON Schema
// tool (no zod in the bundle).
import { McpServer } from "@mcp-edge/core/stateless";
import { addEchoTool } from "./_echo.mjs";

export default addEchoTool(new McpServer({ name: "edge", version: "1.0.0" }));
