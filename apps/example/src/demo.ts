/**
 * A small, useful demo: what a real server built on mcp-edge looks like, next to the conformance surface.
 */
import type { McpServer } from "@mcp-edge/core";
import { z } from "zod";
import { sleep, text } from "./util.js";

export const README_URI = "docs://readme";
const GREETING_STYLES = ["friendly", "formal", "pirate"] as const;

const README = `# mcp-edge example server

One server definition served on Node, Cloudflare Workers, Deno, Bun, AWS Lambda and Vercel.

Demo tools:
- \`add\`: adds two numbers; returns structured content matching its output schema.
- \`echo\`: echoes text back.
- \`countdown\`: counts down with progress notifications and log messages.
- \`list_roots\`: asks the client for its roots.

For trying several instances behind a load balancer:
- \`whoami\`: which instance answered, for which session.
- \`notify_resource_updated\`: a resource update for every subscriber, wherever it is connected.
- \`toggle_demo_tool\`: adds or removes \`demo_toggled\` here; every session hears tools/list_changed.

Demo prompt: \`greeting\` (arguments \`name\`, optional \`style\`: ${GREETING_STYLES.join(", ")}).

It also exposes every tool, resource and prompt the official MCP conformance suite checks
(names starting with \`test_\` and \`test://\`).
`;

export function registerDemo(server: McpServer): void {
  server.tool(
    "add",
    {
      title: "Add",
      description: "Add two numbers",
      input: z.object({ a: z.number().describe("First addend"), b: z.number().describe("Second addend") }),
      output: z.object({ sum: z.number() }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ a, b }) => {
      const sum = a + b;
      return { content: [{ type: "text", text: String(sum) }], structuredContent: { sum } };
    },
  );

  server.tool(
    "echo",
    {
      title: "Echo",
      description: "Echo the given text back",
      input: z.object({ text: z.string().describe("Text to echo") }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) => text(args.text),
  );

  server.tool(
    "countdown",
    {
      title: "Countdown",
      description: "Count down to zero, reporting progress and logging each step",
      input: z.object({
        from: z.number().int().min(1).max(10).default(3).describe("Where to start (1-10)"),
        intervalMs: z.number().int().min(0).max(1000).default(100).describe("Pause between steps in ms"),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ from, intervalMs }, ctx) => {
      for (let remaining = from; remaining > 0; remaining--) {
        await ctx.log("info", `${remaining}...`, "countdown");
        await ctx.progress(from - remaining, from, `${remaining} to go`);
        await sleep(intervalMs, ctx.signal);
      }
      await ctx.progress(from, from, "Liftoff");
      await ctx.log("notice", "Liftoff!", "countdown");
      return text(`Counted down from ${from}: liftoff!`);
    },
  );

  server.tool(
    "list_roots",
    {
      title: "List roots",
      description: "Ask the client for its roots (needs a session and the client's roots capability)",
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (_args, ctx) => {
      const { roots } = await ctx.listRoots();
      return {
        content: [
          {
            type: "text",
            text: roots.map((root) => `${root.name ?? "(unnamed)"}: ${root.uri}`).join("\n") || "(no roots)",
          },
        ],
        structuredContent: { roots },
      };
    },
  );

  server.prompt(
    "greeting",
    {
      title: "Greeting",
      description: "Write a greeting for someone",
      arguments: [
        { name: "name", description: "Who to greet", required: true },
        { name: "style", description: `One of: ${GREETING_STYLES.join(", ")}`, required: false },
      ],
      complete: { style: (value) => GREETING_STYLES.filter((style) => style.startsWith(value)) },
    },
    ({ name, style }) => ({
      description: "A greeting request",
      messages: [
        {
          role: "user",
          content: { type: "text", text: `Write a short ${style ?? "friendly"} greeting for ${name ?? "a friend"}.` },
        },
      ],
    }),
  );

  server.resource(
    README_URI,
    { name: "readme", title: "README", description: "What this server offers", mimeType: "text/markdown" },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: "text/markdown", text: README }] }),
  );
}
