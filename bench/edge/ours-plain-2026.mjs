// Workers entry: the `ours-plain` server with the 2026-07-28 lane added to the stateless preset (an
// explicit import), so the report shows what serving 2026 requests adds to a bundle and its start-up.
import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { addEchoTool } from "./_echo.mjs";

export default addEchoTool(new McpServer({ name: "edge", version: "1.0.0", lane2026 }));
