import * as Method from "../protocol/method.js";
import { requirementFor } from "./scopes.js";
import type { AuthOptions, Principal, ScopeRequirements } from "./types.js";

export type ItemKind = "tools" | "prompts" | "resources";

/** What a request names, for the methods that reach one tool, prompt or resource. */
export interface ItemReference {
  kind: ItemKind;
  key: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The item a JSON-RPC message reaches, when its method reaches one (completions included: they leak arguments). */
export function itemOf(message: unknown): ItemReference | undefined {
  if (!isRecord(message) || typeof message.method !== "string" || !isRecord(message.params)) return undefined;
  const params = message.params;
  switch (message.method) {
    case Method.ToolsCall:
      return typeof params.name === "string" ? { kind: "tools", key: params.name } : undefined;
    case Method.PromptsGet:
      return typeof params.name === "string" ? { kind: "prompts", key: params.name } : undefined;
    case Method.ResourcesRead:
    case Method.ResourcesSubscribe:
      return typeof params.uri === "string" ? { kind: "resources", key: params.uri } : undefined;
    case Method.CompletionComplete: {
      const ref = params.ref;
      if (!isRecord(ref)) return undefined;
      if (ref.type === "ref/prompt" && typeof ref.name === "string") return { kind: "prompts", key: ref.name };
      if (ref.type === "ref/resource" && typeof ref.uri === "string") return { kind: "resources", key: ref.uri };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Most resource URIs of one `subscriptions/listen` checked: past it the request is not one a client sends. */
const MAX_LISTENED_URIS = 1000;

/**
 * Every item a message reaches: the one of `itemOf`, or (2026 lane) each resource a
 * `subscriptions/listen` asks to hear updates of, which would otherwise tell a principal about a resource
 * it may not read.
 */
export function itemsOf(message: unknown): ItemReference[] {
  const one = itemOf(message);
  if (one !== undefined) return [one];
  if (!isRecord(message) || message.method !== Method.SubscriptionsListen || !isRecord(message.params)) return [];
  const notifications = message.params.notifications;
  const uris = isRecord(notifications) ? notifications.resourceSubscriptions : undefined;
  if (!Array.isArray(uris)) return [];
  return uris
    .slice(0, MAX_LISTENED_URIS)
    .filter((uri): uri is string => typeof uri === "string")
    .map((uri) => ({ kind: "resources", key: uri }));
}

/** The scopes each tool, prompt and resource needs, and whether a principal holds them. */
export class ItemPolicy {
  readonly #tables: Record<ItemKind, ScopeRequirements | undefined>;
  readonly #held = new WeakMap<Principal, ReadonlySet<string>>();

  constructor(options: AuthOptions) {
    this.#tables = {
      tools: options.scopes?.tools,
      prompts: options.scopes?.prompts,
      resources: options.scopes?.resources,
    };
  }

  /** Whether any requirement of `kind` is configured (nothing to filter otherwise). */
  has(kind: ItemKind): boolean {
    const table = this.#tables[kind];
    return table !== undefined && Object.keys(table).length > 0;
  }

  required(kind: ItemKind, key: string): readonly string[] {
    return requirementFor(this.#tables[kind], key);
  }

  /** The principal's scopes as a set, built once per principal. */
  held(principal: Principal): ReadonlySet<string> {
    let held = this.#held.get(principal);
    if (held === undefined) {
      held = new Set(principal.scopes);
      this.#held.set(principal, held);
    }
    return held;
  }

  allows(principal: Principal, kind: ItemKind, key: string): boolean {
    const required = this.required(kind, key);
    if (required.length === 0) return true;
    const held = this.held(principal);
    return required.every((scope) => held.has(scope));
  }
}
