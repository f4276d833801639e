import fc from "fast-check";

/** Builds a value nested `depth` levels without recursion. */
function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let at = root;
  for (let level = 0; level < depth; level++) {
    const next: Record<string, unknown> = {};
    at.a = next;
    at = next;
  }
  return root;
}

function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value;
}

const throwingGetter = (): Record<string, unknown> =>
  Object.defineProperty({}, "boom", {
    enumerable: true,
    get() {
      throw new Error("getter");
    },
  });

const hostileProxy = (): object =>
  new Proxy(
    {},
    {
      get() {
        throw new Error("proxy get");
      },
      ownKeys() {
        throw new Error("proxy keys");
      },
      getOwnPropertyDescriptor() {
        throw new Error("proxy descriptor");
      },
      has() {
        throw new Error("proxy has");
      },
      getPrototypeOf() {
        throw new Error("proxy prototype");
      },
    },
  );

/** What a misbehaving tool throws: rarely an Error, sometimes something that throws when looked at. */
export const THROWN: Record<string, () => unknown> = {
  string: () => "plain string",
  undefined: () => undefined,
  null: () => null,
  number: () => 42,
  symbol: () => Symbol("thrown"),
  bigint: () => 1n,
  object: () => ({ message: "not an error" }),
  "throwing getter": () =>
    Object.defineProperty(new Error("x"), "message", {
      get() {
        throw new Error("message getter");
      },
    }),
  "throwing toString": () => ({
    toString() {
      throw new Error("toString");
    },
  }),
  proxy: hostileProxy,
  "error with cyclic cause": () => {
    const error = new Error("cyclic") as Error & { cause: unknown };
    error.cause = error;
    return error;
  },
};

/** What a misbehaving tool returns instead of a CallToolResult. */
export const RETURNED: Record<string, () => unknown> = {
  undefined: () => undefined,
  null: () => null,
  number: () => 7,
  string: () => "text",
  "empty object": () => ({}),
  "content not an array": () => ({ content: "x" }),
  "bigint in structuredContent": () => ({ content: [], structuredContent: { n: 1n } }),
  "bigint in content": () => ({ content: [{ type: "text", text: 1n }] }),
  "cyclic structuredContent": () => ({ content: [], structuredContent: cyclic() }),
  "deep structuredContent": () => ({ content: [], structuredContent: nested(10_000) }),
  "deep content": () => ({ content: [{ type: "text", text: "x", extra: nested(10_000) }] }),
  "throwing toJSON": () => ({
    content: [],
    structuredContent: {
      toJSON() {
        throw new Error("toJSON");
      },
    },
  }),
  "throwing getter": () => ({ content: [], structuredContent: throwingGetter() }),
  "proxy result": hostileProxy,
  "proxy structuredContent": () => ({ content: [], structuredContent: hostileProxy() }),
  "function and symbol values": () => ({ content: [], structuredContent: { f: () => 1, s: Symbol("s") } }),
  "huge text": () => ({ content: [{ type: "text", text: "x".repeat(1024 * 1024) }] }),
  "lone surrogates": () => ({ content: [{ type: "text", text: "\ud800\udfff\ud800" }] }),
  "non-finite numbers": () => ({ content: [], structuredContent: { nan: Number.NaN, inf: Number.POSITIVE_INFINITY } }),
};

/** What a tool does with its context before returning: hostile notifications. */
export const MISUSE: Record<string, (ctx: HostileContext) => Promise<void>> = {
  nothing: async () => {},
  "log a bigint": (ctx) => ctx.log("info", { n: 1n }),
  "log a cyclic value": (ctx) => ctx.log("info", cyclic()),
  "log a deep value": (ctx) => ctx.log("info", nested(10_000)),
  "progress NaN": (ctx) => ctx.progress(Number.NaN),
  "notify a cyclic params": (ctx) => ctx.notify("notifications/x", cyclic()),
};

export interface HostileContext {
  log(level: "info", data: unknown): Promise<void>;
  progress(progress: number): Promise<void>;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
}

export type ToolBehaviour =
  | { kind: "throw"; what: string; async: boolean }
  | { kind: "return"; what: string; async: boolean };

export const toolBehaviour: fc.Arbitrary<ToolBehaviour> = fc.oneof(
  fc.record({
    kind: fc.constant("throw" as const),
    what: fc.constantFrom(...Object.keys(THROWN)),
    async: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("return" as const),
    what: fc.constantFrom(...Object.keys(RETURNED)),
    async: fc.boolean(),
  }),
);

/** Runs a behaviour as a tool handler would: thrown or returned, synchronously or after an await. */
export function behave(behaviour: ToolBehaviour): unknown {
  const table = behaviour.kind === "throw" ? THROWN : RETURNED;
  const make = table[behaviour.what];
  if (!make) throw new Error(`unknown behaviour ${behaviour.what}`);
  const act = () => {
    const value = make();
    if (behaviour.kind === "throw") throw value;
    return value;
  };
  if (!behaviour.async) return act();
  return Promise.resolve().then(act);
}

/** Hooks a user could write badly. */
export const ON_ERROR: Record<string, (error: unknown) => unknown> = {
  quiet: () => {},
  "throws an Error": () => {
    throw new Error("onError failed");
  },
  "throws a string": () => {
    throw "onError failed";
  },
  "returns a rejected promise": () => Promise.reject(new Error("async onError failed")),
  "async and throws": async () => {
    throw new Error("async onError failed");
  },
  "stringifies the error": (error) => {
    JSON.stringify(error);
  },
};

export const AUTH_SUBJECT: Record<string, (request: Request) => unknown> = {
  none: () => undefined,
  "a header": (request) => request.headers.get("x-fuzz-subject") ?? undefined,
  throws: () => {
    throw new Error("authSubject failed");
  },
  "throws a non-Error": () => {
    throw { reason: "no" };
  },
  rejects: () => Promise.reject(new Error("authSubject rejected")),
  "a number": () => 5,
  "an object": () => ({ sub: "x" }),
  "a bigint": () => 1n,
  "an empty string": () => "",
  "a long string": () => "s".repeat(100_000),
  "a symbol": () => Symbol("subject"),
};
