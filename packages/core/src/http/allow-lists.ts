/**
 * The allow-lists of DNS-rebinding protection as platform entries read them from their environment
 * (process env, Worker bindings), so a deployment names its public hosts without code changes.
 */

/** The variables every platform entry reads: comma-separated lists, as `allowedHosts` / `allowedOrigins`. */
export const AllowListEnv = {
  hosts: "MCP_ALLOWED_HOSTS",
  origins: "MCP_ALLOWED_ORIGINS",
} as const;

export interface AllowLists {
  allowedHosts?: string[];
  allowedOrigins?: string[];
}

/**
 * A URL pasted where a name belongs ("https://mcp.example.com/") means its host (or its origin, for
 * an Origin list): the Host and Origin headers never carry a path, so the entry would match nothing.
 */
function entryOf(entry: string, part: "host" | "origin"): string {
  if (!entry.includes("://")) return entry;
  try {
    return new URL(entry)[part];
  } catch {
    return entry;
  }
}

/** "a.example, b.example:8443" -> ["a.example", "b.example:8443"]; undefined when nothing is listed. */
export function parseAllowList(value: unknown, part: "host" | "origin" = "host"): string[] | undefined {
  if (typeof value !== "string") return undefined;
  const entries = value
    .split(/[\s,]+/)
    .filter((entry) => entry !== "")
    .map((entry) => entryOf(entry, part));
  return entries.length === 0 ? undefined : entries;
}

/**
 * `MCP_ALLOWED_HOSTS` and `MCP_ALLOWED_ORIGINS` through `read` (e.g. `(name) => process.env[name]`, or a
 * Worker's `env[name]`); a list that is unset or blank is left out. Values that are not strings (a
 * Worker binding of another kind under that name) count as unset.
 */
export function allowListsFromEnv(read: (name: string) => unknown): AllowLists {
  const lists: AllowLists = {};
  const hosts = parseAllowList(read(AllowListEnv.hosts), "host");
  if (hosts !== undefined) lists.allowedHosts = hosts;
  const origins = parseAllowList(read(AllowListEnv.origins), "origin");
  if (origins !== undefined) lists.allowedOrigins = origins;
  return lists;
}
