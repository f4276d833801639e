/**
 * Tools that raise things from the instance that serves them, for trying (and testing) the distributed
 * pattern: which instance answered, a resource update for every subscriber wherever it is connected, and
 * a tool list change that every session hears.
 */
import type { McpServer, Registration } from "@mcp-edge/core";
import { z } from "zod";
import { text, toolError } from "./util.js";

export const TOGGLED_TOOL = "demo_toggled";

/** `instanceId` is called from handlers only (never at registration), so it may draw a random id lazily. */
export function registerInstanceDemo(server: McpServer, instanceId: () => string): void {
  server.tool(
    "whoami",
    {
      title: "Who am I",
      description: "Which server instance answered, and for which session (useful behind a load balancer)",
      output: z.object({ instanceId: z.string(), sessionId: z.string().nullable() }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (_args, ctx) => {
      const sessionId = ctx.sessionId ?? null;
      const id = instanceId();
      return {
        content: [{ type: "text", text: `instance ${id}, session ${sessionId ?? "(none: stateless)"}` }],
        structuredContent: { instanceId: id, sessionId },
      };
    },
  );

  server.tool(
    "notify_resource_updated",
    {
      title: "Notify resource updated",
      description:
        "Send notifications/resources/updated for a URI to every session subscribed to it, on whichever instance it is connected",
      input: z.object({ uri: z.string().describe("The resource URI, e.g. test://watched-resource") }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async ({ uri }) => {
      if (!URL.canParse(uri)) return toolError(`Not a URI: ${uri}`);
      await server.notifyResourceUpdated(uri);
      return text(`Subscribers of ${uri} were notified (raised on instance ${instanceId()})`);
    },
  );

  let toggled: Registration | undefined;
  server.tool(
    "toggle_demo_tool",
    {
      title: "Toggle demo tool",
      description: `Add or remove the tool "${TOGGLED_TOOL}" on this instance; every connected session gets notifications/tools/list_changed`,
      input: z.object({
        present: z.boolean().optional().describe("true adds it, false removes it; omitted flips the current state"),
      }),
      output: z.object({ present: z.boolean(), changed: z.boolean(), instanceId: z.string() }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ present }) => {
      const id = instanceId();
      const wanted = present ?? toggled === undefined;
      const changed = wanted !== (toggled !== undefined);
      if (changed && wanted) {
        toggled = server.tool(
          TOGGLED_TOOL,
          {
            title: "Toggled demo tool",
            description: `Added at run time by toggle_demo_tool on instance ${id}`,
            annotations: { readOnlyHint: true, openWorldHint: false },
          },
          () => text(`${TOGGLED_TOOL} on instance ${id}`),
        );
      } else if (changed) {
        toggled?.remove();
        toggled = undefined;
      }
      return {
        content: [
          {
            type: "text",
            text: `${TOGGLED_TOOL} is ${wanted ? "present" : "absent"} on instance ${id}${changed ? "" : " (unchanged)"}`,
          },
        ],
        structuredContent: { present: wanted, changed, instanceId: id },
      };
    },
  );
}
