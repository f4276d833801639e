/**
 * The fixtures of the 2026-07-28 conformance scenario `server-stateless`: a tool that needs a capability the
 * probe does not declare, two tools whose response streams must carry notifications only, and the triggers
 * of the list changes a `subscriptions/listen` stream must deliver.
 */
import type { McpServer, Registration } from "@mcp-edge/core";
import { text } from "../util.js";

/** Added and removed by `test_trigger_tool_change`, so every call really changes the tool list. */
export const TRANSIENT_TOOL = "test_transient_tool";
/** Added and removed by `test_trigger_prompt_change`. */
export const TRANSIENT_PROMPT = "test_transient_prompt";

/** Adds `add()`'s registration when absent, removes it when present: one list change per call. */
function toggler(add: () => Registration): () => boolean {
  let current: Registration | undefined;
  return () => {
    if (current) {
      current.remove();
      current = undefined;
      return false;
    }
    current = add();
    return true;
  };
}

export function registerServerStatelessFixtures(server: McpServer): void {
  server.tool(
    "test_missing_capability",
    { description: "Needs the client's sampling capability; a client without it gets -32021" },
    async (_args, ctx) => {
      const answer = await ctx.sample({
        messages: [{ role: "user", content: { type: "text", text: "Say hello" } }],
        maxTokens: 20,
      });
      return text(`Sampled: ${JSON.stringify(answer.content)}`);
    },
  );

  // The check only forbids JSON-RPC requests on the response stream; the answer is a plain result.
  server.tool(
    "test_streaming_elicitation",
    { description: "Answers on its response stream with notifications and a result only, never a request" },
    async (_args, ctx) => {
      await ctx.progress(1, 1, "no server-to-client request on this stream");
      return text("Streaming elicitation test: no JSON-RPC request was sent on the response stream");
    },
  );

  // Without `_meta["io.modelcontextprotocol/logLevel"]` on the request the log line must not be sent.
  server.tool(
    "test_logging_tool",
    { description: "Logs one info message (delivered only when the request asked for a log level)" },
    async (_args, ctx) => {
      await ctx.log("info", "test_logging_tool ran");
      return text("Logging tool completed");
    },
  );

  const toggleTool = toggler(() =>
    server.tool(TRANSIENT_TOOL, { description: "Present while test_trigger_tool_change left it so" }, () =>
      text(`${TRANSIENT_TOOL} is here`),
    ),
  );
  server.tool(
    "test_trigger_tool_change",
    { description: `Adds or removes ${TRANSIENT_TOOL}: listeners get notifications/tools/list_changed` },
    () => text(`${TRANSIENT_TOOL} ${toggleTool() ? "added" : "removed"}`),
  );

  const togglePrompt = toggler(() =>
    server.prompt(TRANSIENT_PROMPT, { description: "Present while test_trigger_prompt_change left it so" }, () => ({
      messages: [{ role: "user", content: { type: "text", text: `${TRANSIENT_PROMPT} is here` } }],
    })),
  );
  server.tool(
    "test_trigger_prompt_change",
    { description: `Adds or removes ${TRANSIENT_PROMPT}: listeners get notifications/prompts/list_changed` },
    () => text(`${TRANSIENT_PROMPT} ${togglePrompt() ? "added" : "removed"}`),
  );
}
