// AWS Lambda behind a Function URL in RESPONSE_STREAM mode: SSE events (progress, logs) reach the
// client as they happen. streamHandle needs the Lambda runtime's global `awslambda`.

import { streamHandle } from "@mcp-edge/aws-lambda";
import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.js";

// `lane2026` serves MCP 2026-07-28 clients too; without it the bundle is smaller and speaks 2025 only.
export const handler = streamHandle(defineTools(new McpServer({ ...SERVER_INFO, lane2026 })));
