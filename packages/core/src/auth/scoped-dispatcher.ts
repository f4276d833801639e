import * as Method from "../protocol/method.js";
import type { RequestScope } from "../server/context.js";
import { Dispatcher } from "../server/dispatcher.js";
import type { ItemKind, ItemPolicy } from "./item-policy.js";
import { principalOf } from "./request-principal.js";

type Result = Record<string, unknown>;

/** Each list method: the kind of its items, the result field that holds them, and each item's key. */
const LISTS: Record<string, { kind: ItemKind; field: string; key: string }> = {
  [Method.ToolsList]: { kind: "tools", field: "tools", key: "name" },
  [Method.PromptsList]: { kind: "prompts", field: "prompts", key: "name" },
  [Method.ResourcesList]: { kind: "resources", field: "resources", key: "uri" },
  [Method.ResourcesTemplatesList]: { kind: "resources", field: "resourceTemplates", key: "uriTemplate" },
};

/**
 * The dispatcher of a server with `auth` whose items need scopes: a principal's lists leave out what
 * it may not use. Filtering follows pagination, so a page may hold fewer items than the page size;
 * its cursor still leads on, which clients follow whatever a page holds.
 */
export class ScopedDispatcher extends Dispatcher {
  readonly #policy: ItemPolicy;

  constructor(policy: ItemPolicy, ...args: ConstructorParameters<typeof Dispatcher>) {
    super(...args);
    this.#policy = policy;
  }

  override dispatch(scope: RequestScope): Result | Promise<Result> {
    const result = super.dispatch(scope);
    const list = LISTS[scope.method];
    const policy = this.#policy;
    if (list === undefined || !policy.has(list.kind)) return result;
    const principal = principalOf(scope.httpRequest);
    if (principal === undefined) return result;
    const filter = (answer: Result): Result => {
      const items = answer[list.field];
      if (!Array.isArray(items)) return answer;
      const visible = items.filter((item: Record<string, unknown>) => {
        const key = item[list.key];
        return typeof key !== "string" || policy.allows(principal, list.kind, key);
      });
      return { ...answer, [list.field]: visible };
    };
    return result instanceof Promise ? result.then(filter) : filter(result);
  }
}
