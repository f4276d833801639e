/** The `add` fixture tool's definition: a plain JSON Schema input, so no validator library rides along in a bundle. */
export const ADD_TOOL = {
  description: "Add two numbers",
  input: {
    type: "object",
    properties: { a: { type: "number" }, b: { type: "number" } },
    required: ["a", "b"],
  },
};

/** The `add` fixture tool's handler: the sum of `a` and `b` as one text content item. */
export async function addNumbers(
  args: Record<string, unknown>,
): Promise<{ content: { type: "text"; text: string }[] }> {
  return { content: [{ type: "text", text: String(Number(args.a) + Number(args.b)) }] };
}

type TextResult = { content: { type: "text"; text: string }[] };
const text = (value: string): TextResult => ({ content: [{ type: "text", text: value }] });

/**
 * A fresh pair of fixture tools: `wait` reports progress 1/2, then blocks until `release` is called. A test reads
 * the progress event while the call is provably still running, so the event must have been streamed.
 */
export function waitAndRelease() {
  let release: (() => void) | undefined;
  return {
    wait: {
      definition: { description: "Reports progress, then waits for `release`" },
      async handler(
        _args: unknown,
        ctx: { progress(progress: number, total?: number, message?: string): Promise<void> },
      ): Promise<TextResult> {
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        await ctx.progress(1, 2, "waiting");
        await released;
        return text("released");
      },
    },
    release: {
      definition: { description: "Lets a waiting `wait` call finish" },
      async handler(): Promise<TextResult> {
        const wasWaiting = release !== undefined;
        release?.();
        release = undefined;
        return text(wasWaiting ? "released one" : "nothing was waiting");
      },
    },
  };
}
