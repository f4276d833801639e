/**
 * The multi-round-trip fixtures the 2026-07-28 conformance scenarios call (`input-required-result-*`).
 *
 * They are ordinary handlers: `ctx.elicit`, `ctx.sample` and `ctx.listRoots` ask the client. On the 2026 lane the
 * core answers the call with `resultType: "input_required"` (one input request per pending ask, under the key the
 * handler names) and a sealed `requestState` holding the answers so far; the client's retry runs the handler again
 * from the top, with those answers replayed, until it returns. On a 2025 session the same asks are server-to-client
 * requests. Keys are named because the referee reads them (`user_name`), and because a client that already knows
 * them may answer on its first call.
 */
import type {
  CallToolResult,
  ClientCapabilities,
  CreateMessageParams,
  ElicitFormParams,
  McpServer,
  RequestContext,
} from "@mcp-edge/core";
import { text } from "../util.js";

/** One string field, required: what most of these fixtures ask the user for. */
function askFor(field: string, message: string): ElicitFormParams {
  return {
    message,
    requestedSchema: { type: "object", properties: { [field]: { type: "string" } }, required: [field] },
  };
}

const CAPITAL_QUESTION: CreateMessageParams = {
  messages: [{ role: "user", content: { type: "text", text: "What is the capital of France?" } }],
  maxTokens: 100,
};

/** The text a sampling answer carries, or its JSON when it is not text. */
function sampledText(content: unknown): string {
  const block = content as { type?: unknown; text?: unknown };
  return block.type === "text" && typeof block.text === "string" ? block.text : JSON.stringify(content);
}

function accepted(content: Record<string, unknown> | undefined, field: string): string {
  const value = content?.[field];
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** Asks for whatever the client declared this request, all in one round; reports what came back. */
async function askDeclared(ctx: RequestContext, capabilities: ClientCapabilities): Promise<string[]> {
  const asks: Array<Promise<string>> = [];
  if (capabilities.elicitation !== undefined) {
    asks.push(
      ctx
        .elicit(askFor("name", "What is your name?"), { key: "user_info" })
        .then((r) => `elicitation: ${r.action} ${accepted(r.content, "name")}`),
    );
  }
  if (capabilities.sampling !== undefined) {
    asks.push(
      ctx.sample(CAPITAL_QUESTION, { key: "capital_question" }).then((r) => `sampling: ${sampledText(r.content)}`),
    );
  }
  if (capabilities.roots !== undefined) {
    asks.push(
      ctx.listRoots({ key: "client_roots" }).then((r) => `roots: ${r.roots.map((root) => root.uri).join(", ")}`),
    );
  }
  return Promise.all(asks);
}

export function registerInputRequiredFixtures(server: McpServer): void {
  server.tool(
    "test_input_required_result_elicitation",
    { description: "Asks the user for their name (input_required, key user_name), then greets them" },
    async (_args, ctx): Promise<CallToolResult> => {
      const answer = await ctx.elicit(askFor("name", "What is your name?"), { key: "user_name" });
      if (answer.action !== "accept") return text(`Elicitation ${answer.action}`);
      return text(`Hello, ${accepted(answer.content, "name")}!`);
    },
  );

  server.tool(
    "test_input_required_result_sampling",
    { description: "Asks the client's LLM a question (input_required, sampling/createMessage)" },
    async (_args, ctx) => {
      const answer = await ctx.sample(CAPITAL_QUESTION, { key: "capital_question" });
      return text(`Sampling result: ${sampledText(answer.content)}`);
    },
  );

  server.tool(
    "test_input_required_result_list_roots",
    { description: "Asks the client for its roots (input_required, roots/list)" },
    async (_args, ctx) => {
      const { roots } = await ctx.listRoots({ key: "client_roots" });
      return text(`Roots: ${roots.map((root) => `${root.name ?? "(unnamed)"} ${root.uri}`).join("; ") || "(none)"}`);
    },
  );

  server.tool(
    "test_input_required_result_request_state",
    { description: "Asks for a confirmation; the retry must carry the sealed requestState back" },
    async (_args, ctx) => {
      const answer = await ctx.elicit(askFor("confirm", "Please confirm to continue"), { key: "confirmation" });
      return text(`state-ok (${answer.action})`);
    },
  );

  server.tool(
    "test_input_required_result_multiple_inputs",
    { description: "Asks for an elicitation, a sampling answer and the roots in one round" },
    async (_args, ctx) => text((await askDeclared(ctx, ctx.clientCapabilities ?? {})).join("\n")),
  );

  server.tool(
    "test_input_required_result_multi_round",
    { description: "Asks in two rounds: a name, then a favourite colour; the first answer rides in requestState" },
    async (_args, ctx) => {
      const name = await ctx.elicit(askFor("name", "What is your name?"), { key: "step1" });
      const color = await ctx.elicit(askFor("color", "What is your favourite colour?"), { key: "step2" });
      return text(`${accepted(name.content, "name")} likes ${accepted(color.content, "color")}`);
    },
  );

  server.tool(
    "test_input_required_result_tampered_state",
    { description: "Asks for a confirmation; a retry whose requestState was altered is refused" },
    async (_args, ctx) => {
      const answer = await ctx.elicit(askFor("ok", "Confirm"), { key: "confirm" });
      return text(`confirmed (${answer.action})`);
    },
  );

  server.tool(
    "test_input_required_result_capabilities",
    { description: "Asks only for what the client declared in this request's clientCapabilities" },
    async (_args, ctx) => {
      const answers = await askDeclared(ctx, ctx.clientCapabilities ?? {});
      return text(answers.length === 0 ? "The client declared nothing to ask" : answers.join("\n"));
    },
  );

  server.prompt(
    "test_input_required_result_prompt",
    { description: "A prompt that asks the user for context before it is built (input_required on prompts/get)" },
    async (_args, ctx) => {
      const answer = await ctx.elicit(askFor("context", "What context should the prompt use?"), {
        key: "prompt_context",
      });
      return {
        messages: [
          {
            role: "user",
            content: { type: "text", text: `Use this context: ${accepted(answer.content, "context")}` },
          },
        ],
      };
    },
  );
}
