/**
 * The fixture of the 2026-07-28 conformance scenario `http-custom-header-server-validation` (pending, not yet
 * scored): a tool whose argument a client must repeat in an `Mcp-Param-Region` header (`x-mcp-header`), so that
 * the server's check of that header (base64 form included) can be exercised.
 */
import type { McpServer } from "@mcp-edge/core";
import { text } from "../util.js";

export function registerParamHeaderFixtures(server: McpServer): void {
  server.tool(
    "test_x_mcp_header",
    {
      description: "Echoes its region; 2026 clients repeat the region in the Mcp-Param-Region header",
      input: {
        type: "object",
        properties: { region: { type: "string", description: "A region name", "x-mcp-header": "Region" } },
        required: ["region"],
      },
    },
    (args) => text(`Region: ${String(args.region)}`),
  );
}
