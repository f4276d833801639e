// AWS Lambda behind a Function URL in RESPONSE_STREAM mode: SSE events (progress, logs) reach the
// client as they happen. streamHandle needs the Lambda runtime's global `awslambda`.

import { streamHandle } from "@mcp-edge/aws-lambda";
import { McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.js";

export const handler = streamHandle(defineTools(new McpServer(SERVER_INFO)));
