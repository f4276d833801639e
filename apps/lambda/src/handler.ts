// AWS Lambda behind API Gateway (HTTP API) or a buffered Function URL: each answer is returned whole,
// so a tool's progress arrives with its result. Stateless unless a store is configured.

import { handle } from "@mcp-edge/aws-lambda";
import { lane2026, McpServer } from "@mcp-edge/core/stateless";
import { defineTools, SERVER_INFO } from "./tools.js";

// Public host names come from the function's MCP_ALLOWED_HOSTS (template.yaml); loopback always works.
// `lane2026` serves MCP 2026-07-28 clients too; without it the bundle is smaller and speaks 2025 only.
export const handler = handle(defineTools(new McpServer({ ...SERVER_INFO, lane2026 })));
