/**
 * The tools the official conformance suite calls (PROTOCOL.md section 4), with the names, texts and
 * shapes it checks. Server-to-client tools (sampling, elicitation) need, on the 2025 lane, a session whose
 * client declared the capability; without one they answer `isError: true` with the reason instead of failing
 * the call. On the 2026 lane the same calls ask through `input_required` results.
 */
import {
  type CallToolResult,
  type ElicitFormParams,
  type McpServer,
  type RequestContext,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@mcp-edge/core";
import { z } from "zod";
import { PNG_1X1_BASE64, PNG_MIME_TYPE, WAV_MIME_TYPE, WAV_SILENCE_BASE64 } from "../fixtures/media.js";
import { errorMessage, sleep, text, toolError } from "../util.js";

export const SIMPLE_TEXT = "This is a simple text response for testing.";
export const ERROR_TEXT = "This tool intentionally returns an error for testing";
export const EMBEDDED_RESOURCE_TEXT = "This is an embedded resource content.";
export const LOG_MESSAGES = ["Tool execution started", "Tool processing data", "Tool execution completed"] as const;
export const PROGRESS_STEPS = [0, 50, 100] as const;
/** Time between the log messages and progress steps of the streaming tools. */
const STEP_MS = 50;
/** How long test_reconnection keeps working after it closed its SSE connection. */
const RECONNECTION_DELAY_MS = 200;

/** Whether the request came on the 2026 lane (its revision is none of the 2025 lane's). */
function onModernLane(ctx: RequestContext): boolean {
  return !(SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(ctx.protocolVersion);
}

/**
 * Runs a server-to-client exchange; on the 2025 lane a missing capability or stateless mode becomes a tool
 * error. On the 2026 lane what the asks throw is the core's to answer (`input_required` until the client's
 * retry carries the answers, or -32021 for a capability the request did not declare), so it passes through.
 */
async function viaClient(
  ctx: RequestContext,
  what: string,
  exchange: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await exchange();
  } catch (error) {
    if (onModernLane(ctx)) throw error;
    return toolError(`${what} failed: ${errorMessage(error)}`);
  }
}

async function elicitAndReport(ctx: RequestContext, params: ElicitFormParams): Promise<CallToolResult> {
  return viaClient(ctx, "Elicitation", async () => {
    const result = await ctx.elicit(params);
    const content = result.content === undefined ? "" : ` with content ${JSON.stringify(result.content)}`;
    return text(`Elicitation completed: action=${result.action}${content}`);
  });
}

/** SEP-1034: every primitive type with a default value. */
const SEP1034_SCHEMA: ElicitFormParams["requestedSchema"] = {
  type: "object",
  properties: {
    name: { type: "string", description: "Your name", default: "John Doe" },
    age: { type: "integer", description: "Your age", minimum: 0, maximum: 150, default: 30 },
    score: { type: "number", description: "Your score", minimum: 0, maximum: 100, default: 95.5 },
    status: {
      type: "string",
      description: "Account status",
      enum: ["active", "inactive", "pending"],
      default: "active",
    },
    verified: { type: "boolean", description: "Whether the account is verified", default: true },
  },
  required: [],
};

/** SEP-1330: the five enum shapes, untitled and titled, single and multiple choice, plus the legacy form. */
const SEP1330_SCHEMA: ElicitFormParams["requestedSchema"] = {
  type: "object",
  properties: {
    untitledSingle: {
      type: "string",
      description: "Pick one colour",
      enum: ["red", "green", "blue"],
    },
    titledSingle: {
      type: "string",
      description: "Pick one size",
      oneOf: [
        { const: "s", title: "Small" },
        { const: "m", title: "Medium" },
        { const: "l", title: "Large" },
      ],
    },
    legacyEnum: {
      type: "string",
      description: "Pick one priority (legacy enumNames form)",
      enum: ["p1", "p2", "p3"],
      enumNames: ["High", "Normal", "Low"],
    },
    untitledMulti: {
      type: "array",
      description: "Pick any fruits",
      items: { type: "string", enum: ["apple", "banana", "cherry"] },
    },
    titledMulti: {
      type: "array",
      description: "Pick any days",
      items: {
        anyOf: [
          { const: "mon", title: "Monday" },
          { const: "wed", title: "Wednesday" },
          { const: "fri", title: "Friday" },
        ],
      },
    },
  },
  required: [],
};

/** A plain JSON Schema 2020-12 object, advertised untouched ($schema, $defs, additionalProperties kept). */
export const JSON_SCHEMA_2020_12_INPUT = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: {
    address: {
      type: "object",
      properties: {
        street: { type: "string" },
        city: { type: "string" },
      },
    },
  },
  properties: {
    name: { type: "string" },
    address: { $ref: "#/$defs/address" },
  },
  additionalProperties: false,
};

export function registerConformanceTools(server: McpServer): void {
  server.tool("test_simple_text", { description: "Returns a simple text response" }, () => text(SIMPLE_TEXT));

  server.tool("test_image_content", { description: "Returns a 1x1 PNG image" }, () => ({
    content: [{ type: "image", data: PNG_1X1_BASE64, mimeType: PNG_MIME_TYPE }],
  }));

  server.tool("test_audio_content", { description: "Returns a short WAV clip" }, () => ({
    content: [{ type: "audio", data: WAV_SILENCE_BASE64, mimeType: WAV_MIME_TYPE }],
  }));

  server.tool("test_embedded_resource", { description: "Returns an embedded text resource" }, () => ({
    content: [
      {
        type: "resource",
        resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: EMBEDDED_RESOURCE_TEXT },
      },
    ],
  }));

  server.tool("test_multiple_content_types", { description: "Returns text, an image and a resource" }, () => ({
    content: [
      { type: "text", text: "Multiple content types test:" },
      { type: "image", data: PNG_1X1_BASE64, mimeType: PNG_MIME_TYPE },
      {
        type: "resource",
        resource: {
          uri: "test://mixed-content-resource",
          mimeType: "application/json",
          text: JSON.stringify({ test: "data", value: 123 }),
        },
      },
    ],
  }));

  server.tool(
    "test_tool_with_logging",
    { description: "Sends three info log messages while it runs" },
    async (_args, ctx) => {
      for (const [index, message] of LOG_MESSAGES.entries()) {
        if (index > 0) await sleep(STEP_MS, ctx.signal);
        await ctx.log("info", message);
      }
      return text("Tool with logging completed");
    },
  );

  server.tool("test_error_handling", { description: "Always fails, as a tool error (isError)" }, () =>
    toolError(ERROR_TEXT),
  );

  server.tool(
    "test_tool_with_progress",
    { description: "Reports progress 0, 50 and 100 of 100 when given a progress token" },
    async (_args, ctx) => {
      for (const [index, step] of PROGRESS_STEPS.entries()) {
        if (index > 0) await sleep(STEP_MS, ctx.signal);
        await ctx.progress(step, 100, `Completed step ${index + 1} of ${PROGRESS_STEPS.length}`);
      }
      return text("Tool with progress completed");
    },
  );

  server.tool(
    "test_sampling",
    {
      description: "Asks the client's LLM to answer a prompt (sampling/createMessage)",
      input: z.object({ prompt: z.string().describe("The prompt sent to the LLM") }),
    },
    ({ prompt }, ctx) =>
      viaClient(ctx, "Sampling", async () => {
        const result = await ctx.sample({
          messages: [{ role: "user", content: { type: "text", text: prompt } }],
          maxTokens: 100,
        });
        const content = result.content as { type?: unknown; text?: unknown };
        const answer =
          content.type === "text" && typeof content.text === "string" ? content.text : JSON.stringify(content);
        return text(`LLM response: ${answer}`);
      }),
  );

  server.tool(
    "test_elicitation",
    {
      description: "Asks the user for a username and an email (elicitation/create)",
      input: z.object({ message: z.string().describe("The message shown to the user") }),
    },
    ({ message }, ctx) =>
      elicitAndReport(ctx, {
        message,
        requestedSchema: {
          type: "object",
          properties: {
            username: { type: "string", description: "Your username" },
            email: { type: "string", description: "Your email address", format: "email" },
          },
          required: ["username", "email"],
        },
      }),
  );

  server.tool(
    "test_elicitation_sep1034_defaults",
    { description: "Elicits a form whose fields carry default values (SEP-1034)" },
    (_args, ctx) =>
      elicitAndReport(ctx, {
        message: "Please review and update the form fields with defaults",
        requestedSchema: SEP1034_SCHEMA,
      }),
  );

  server.tool(
    "test_elicitation_sep1330_enums",
    { description: "Elicits a form with every enum variant (SEP-1330)" },
    (_args, ctx) =>
      elicitAndReport(ctx, { message: "Please select options from the enum fields", requestedSchema: SEP1330_SCHEMA }),
  );

  server.tool(
    "json_schema_2020_12_tool",
    {
      description: "Takes a plain JSON Schema 2020-12 input ($defs, $ref, additionalProperties)",
      input: JSON_SCHEMA_2020_12_INPUT,
    },
    (args) => text(`Received: ${JSON.stringify(args)}`),
  );

  server.tool(
    "test_reconnection",
    { description: "Closes its SSE connection mid-call; the client resumes with Last-Event-ID (SEP-1699)" },
    async (_args, ctx) => {
      ctx.closeSSEStream();
      await sleep(RECONNECTION_DELAY_MS, ctx.signal);
      return text("Reconnection test completed: this result was delivered after the SSE connection closed.");
    },
  );
}
