/**
 * The prompts the conformance suite gets (PROTOCOL.md section 4), with completion for `arg1`.
 */
import type { McpServer } from "@mcp-edge/core";
import { PNG_1X1_BASE64, PNG_MIME_TYPE } from "../fixtures/media.js";

export const SIMPLE_PROMPT_TEXT = "This is a simple prompt for testing.";
export const EMBEDDED_PROMPT_RESOURCE_TEXT = "Embedded resource content for testing.";
/** What `completion/complete` offers for `test_prompt_with_arguments`' `arg1`, filtered by prefix. */
export const ARG1_COMPLETIONS = ["test", "testValue1", "testing", "example", "sample"];

export function registerConformancePrompts(server: McpServer): void {
  server.prompt("test_simple_prompt", { description: "A prompt with no arguments" }, () => ({
    messages: [{ role: "user", content: { type: "text", text: SIMPLE_PROMPT_TEXT } }],
  }));

  server.prompt(
    "test_prompt_with_arguments",
    {
      description: "A prompt with two required arguments",
      arguments: [
        { name: "arg1", description: "First argument", required: true },
        { name: "arg2", description: "Second argument", required: true },
      ],
      complete: { arg1: (value) => ARG1_COMPLETIONS.filter((candidate) => candidate.startsWith(value)) },
    },
    ({ arg1, arg2 }) => ({
      messages: [
        { role: "user", content: { type: "text", text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } },
      ],
    }),
  );

  server.prompt(
    "test_prompt_with_embedded_resource",
    {
      description: "A prompt that embeds the resource it is given",
      arguments: [{ name: "resourceUri", description: "URI of the resource to embed", required: true }],
    },
    ({ resourceUri }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "resource",
            resource: { uri: resourceUri ?? "", mimeType: "text/plain", text: EMBEDDED_PROMPT_RESOURCE_TEXT },
          },
        },
        { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
      ],
    }),
  );

  server.prompt("test_prompt_with_image", { description: "A prompt that carries an image" }, () => ({
    messages: [
      { role: "user", content: { type: "image", data: PNG_1X1_BASE64, mimeType: PNG_MIME_TYPE } },
      { role: "user", content: { type: "text", text: "Please analyze the image above." } },
    ],
  }));
}
