// A Lambda function file as a user writes it, serving the example server in its default configuration:
// no allowedHosts, and no MCP_ALLOWED_HOSTS in the function's environment.
import { handle } from "@mcp-edge/aws-lambda";
import { createExampleServer } from "@mcp-edge/example";

export const handler = handle(createExampleServer());
