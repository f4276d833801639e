import type { ScopeRequirements } from "./types.js";

/** Longest implication chain followed: a hierarchy is shallow, and a cycle must not loop. */
const MAX_IMPLICATION_DEPTH = 16;

/** The granted scopes plus every scope they imply, transitively. */
export function expandScopes(granted: readonly string[], implied: ScopeRequirements | undefined): string[] {
  if (implied === undefined) return [...new Set(granted)];
  const all = new Set(granted);
  let frontier = [...all];
  for (let depth = 0; depth < MAX_IMPLICATION_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const scope of frontier) {
      const implies = Object.hasOwn(implied, scope) ? implied[scope] : undefined;
      for (const child of implies ?? []) {
        if (!all.has(child)) {
          all.add(child);
          next.push(child);
        }
      }
    }
    frontier = next;
  }
  return [...all];
}

/** The scopes of `required` that `held` lacks. */
export function missingScopes(held: ReadonlySet<string>, required: readonly string[]): string[] {
  return required.filter((scope) => !held.has(scope));
}

/** A requirement keyed exactly, or by a key ending in `*` whose stem the name starts with (longest wins). */
export function requirementFor(requirements: ScopeRequirements | undefined, name: string): readonly string[] {
  if (requirements === undefined) return [];
  if (Object.hasOwn(requirements, name)) return requirements[name] ?? [];
  let best: readonly string[] = [];
  let bestLength = -1;
  for (const key in requirements) {
    if (!key.endsWith("*")) continue;
    const stem = key.slice(0, -1);
    if (stem.length > bestLength && name.startsWith(stem)) {
      best = requirements[key] ?? [];
      bestLength = stem.length;
    }
  }
  return best;
}

/** Scopes in first-seen order, each once. */
export function unionScopes(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())];
}
