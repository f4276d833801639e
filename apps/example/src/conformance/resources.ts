/**
 * The resources and the resource template the conformance suite reads (PROTOCOL.md section 4).
 */
import { type McpServer, UriTemplate } from "@mcp-edge/core";
import { PNG_1X1_BASE64, PNG_MIME_TYPE } from "../fixtures/media.js";
import { firstValue } from "../util.js";

export const STATIC_TEXT = "This is the content of the static text resource.";
export const WATCHED_RESOURCE_URI = "test://watched-resource";
export const TEMPLATE_URI = "test://template/{id}/data";
/** Values offered when a client completes the template's `{id}`. */
const TEMPLATE_IDS = ["1", "2", "3", "42", "123"];

export function registerConformanceResources(server: McpServer): void {
  server.resource(
    "test://static-text",
    { name: "static-text", title: "Static text", description: "A static text resource", mimeType: "text/plain" },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: STATIC_TEXT }] }),
  );

  server.resource(
    "test://static-binary",
    { name: "static-binary", title: "Static binary", description: "A 1x1 PNG image", mimeType: PNG_MIME_TYPE },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: PNG_MIME_TYPE, blob: PNG_1X1_BASE64 }] }),
  );

  server.resource(
    WATCHED_RESOURCE_URI,
    {
      name: "watched-resource",
      title: "Watched resource",
      description: "A resource clients may subscribe to (resources/subscribe)",
      mimeType: "text/plain",
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: "Watched resource content" }] }),
  );

  server.resourceTemplate(
    new UriTemplate(TEMPLATE_URI),
    {
      name: "template-data",
      title: "Template data",
      description: "JSON data for any id",
      mimeType: "application/json",
      complete: { id: (value) => TEMPLATE_IDS.filter((id) => id.startsWith(value)) },
    },
    (uri, variables) => {
      const id = firstValue(variables.id);
      const data = { id, templateTest: true, data: `Data for ID: ${id}` };
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(data) }] };
    },
  );
}
