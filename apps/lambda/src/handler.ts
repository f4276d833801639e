// AWS Lambda behind API Gateway (HTTP API) or a buffered Function URL: each answer is returned whole,
// so a tool's progress arrives with its result. Stateless unless a store is configured.

import { handle } from "@mcp-edge/aws-lambda";
import { McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.js";

// Public host names come from the function's MCP_ALLOWED_HOSTS (template.yaml); loopback always works.
export const handler = handle(defineTools(new McpServer(SERVER_INFO)));
