/**
 * The tools every fuzz server registers, written against the shape of `McpServer` rather than the class
 * (this package does not depend on @mcp-edge/core, which depends on it for tests).
 */
export interface FuzzToolContext {
  log(level: "info", data: unknown): Promise<void>;
  progress(progress: number, total?: number): Promise<void>;
  listRoots(): Promise<unknown>;
  sample(params: {
    messages: { role: "user"; content: { type: "text"; text: string } }[];
    maxTokens: number;
  }): Promise<unknown>;
  elicit(params: {
    message: string;
    requestedSchema: { type: "object"; properties: Record<string, { type: "string" }> };
  }): Promise<unknown>;
  closeSSEStream(): void;
}

export interface FuzzToolResult {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  [key: string]: unknown;
}

export interface FuzzServerShape {
  tool(
    name: string,
    config: { description?: string; input?: Record<string, unknown> },
    handler: (args: Record<string, unknown>, ctx: FuzzToolContext) => Promise<FuzzToolResult>,
  ): unknown;
  resource(
    uri: string,
    config: { name: string },
    handler: (uri: URL) => Promise<{ contents: { uri: string; text: string }[] }>,
  ): unknown;
}

function text(value: string): FuzzToolResult {
  return { content: [{ type: "text", text: value }] };
}

/** What the client answered, echoed back: its reply travels through the server's serialisation. */
async function relay(ask: () => Promise<unknown>): Promise<FuzzToolResult> {
  try {
    const answer = await ask();
    return { ...text("answered"), structuredContent: { answer } };
  } catch (error) {
    return { ...text(error instanceof Error ? error.message : "refused"), isError: true };
  }
}

export function installFuzzTools(server: FuzzServerShape): void {
  server.tool("echo", { input: { type: "object", properties: { text: { type: "string" } } } }, async (args) => ({
    ...text(String(args.text)),
    structuredContent: args,
  }));
  server.tool("progress", {}, async (_args, ctx) => {
    await ctx.progress(1, 2);
    await ctx.log("info", "half way");
    await ctx.progress(2, 2);
    return text("done");
  });
  server.tool("roots", {}, (_args, ctx) => relay(() => ctx.listRoots()));
  server.tool("sample", {}, (_args, ctx) =>
    relay(() => ctx.sample({ messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 })),
  );
  server.tool("elicit", {}, (_args, ctx) =>
    relay(() =>
      ctx.elicit({ message: "name?", requestedSchema: { type: "object", properties: { name: { type: "string" } } } }),
    ),
  );
  // Ends its connection before the result (SEP-1699 polling): the client resumes with Last-Event-ID.
  server.tool("pause-stream", {}, async (_args, ctx) => {
    await ctx.log("info", "before the pause");
    ctx.closeSSEStream();
    await ctx.log("info", "after the pause");
    return text("resumed");
  });
  server.resource("fuzz://r", { name: "r" }, async (uri) => ({ contents: [{ uri: uri.href, text: "r" }] }));
}
