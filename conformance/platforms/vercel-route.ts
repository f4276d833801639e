// `app/mcp/route.ts` as a user writes it for the Edge runtime, serving the example server in its default
// configuration: no allowedHosts, no environment, nothing but the route handlers.

import { createExampleServer } from "@mcp-edge/example";
import { handlers } from "@mcp-edge/vercel";

export const runtime = "edge";

export const { GET, POST, DELETE, OPTIONS } = handlers(createExampleServer());
