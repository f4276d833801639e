import { emptyResponse, type HeaderRecord, jsonResponse } from "../http/responses.js";
import { OFFLINE_ACCESS_SCOPE, PROTECTED_RESOURCE_WELL_KNOWN } from "../protocol/oauth.js";
import type { AuthOptions } from "./types.js";

/** Public and the same for every client: browsers on any origin may read it, caches may keep it. */
const METADATA_HEADERS: HeaderRecord = {
  "access-control-allow-origin": "*",
  "cache-control": "public, max-age=300",
};
const PREFLIGHT_HEADERS: HeaderRecord = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "mcp-protocol-version",
  "access-control-max-age": "86400",
};

/** The canonical resource URI, checked once: RFC 8707 wants an absolute URI without a fragment. */
export function parseResource(resource: string): URL {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    throw new Error(
      `auth.resource must be an absolute URL (the MCP endpoint's canonical URI), got ${resource.slice(0, 100)}`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("auth.resource must be an http(s) URL");
  if (url.hash !== "" || resource.includes("#")) throw new Error("auth.resource must not have a fragment (RFC 8707)");
  return url;
}

/** The resource's path as RFC 9728 §3.1 appends it to the well-known prefix ("" for the root). */
function resourcePath(url: URL): string {
  return url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
}

/** Where a client finds the metadata of `resource` (RFC 9728 §3.1): the `resource_metadata` of challenges. */
export function metadataUrl(url: URL): string {
  return `${url.origin}${PROTECTED_RESOURCE_WELL_KNOWN}${resourcePath(url)}`;
}

/** Every scope the options name, for `scopes_supported` when none is given. */
function namedScopes(options: AuthOptions): string[] {
  const named = new Set(options.requiredScopes ?? []);
  for (const table of [options.scopes?.tools, options.scopes?.prompts, options.scopes?.resources]) {
    for (const scopes of Object.values(table ?? {})) for (const scope of scopes) named.add(scope);
  }
  for (const [scope, implied] of Object.entries(options.impliedScopes ?? {})) {
    named.add(scope);
    for (const child of implied) named.add(child);
  }
  return [...named];
}

/** The RFC 9728 document. */
export function metadataDocument(options: AuthOptions): Record<string, unknown> {
  const scopes = (options.scopesSupported ?? namedScopes(options)).filter((scope) => scope !== OFFLINE_ACCESS_SCOPE);
  const document: Record<string, unknown> = {
    resource: options.resource,
    authorization_servers: [...options.authorizationServers],
    bearer_methods_supported: ["header"],
  };
  if (scopes.length > 0) document.scopes_supported = scopes;
  if (options.resourceName !== undefined) document.resource_name = options.resourceName;
  if (options.resourceDocumentation !== undefined) document.resource_documentation = options.resourceDocumentation;
  return document;
}

/** Serves the metadata at the root well-known URI and at the one suffixed with the resource's path. */
export class MetadataRoute {
  readonly #paths: ReadonlySet<string>;
  readonly #body: Record<string, unknown>;

  constructor(options: AuthOptions, url: URL) {
    const suffixed = `${PROTECTED_RESOURCE_WELL_KNOWN}${resourcePath(url)}`;
    this.#paths = new Set([PROTECTED_RESOURCE_WELL_KNOWN, suffixed]);
    this.#body = metadataDocument(options);
  }

  /** The answer when `path` is a metadata URI, else undefined. */
  answer(method: string, path: string): Response | undefined {
    if (!this.#paths.has(path)) return undefined;
    if (method === "GET") return jsonResponse(this.#body, 200, METADATA_HEADERS);
    if (method === "HEAD") return emptyResponse(200, { ...METADATA_HEADERS, "content-type": "application/json" });
    if (method === "OPTIONS") return emptyResponse(204, PREFLIGHT_HEADERS);
    return jsonResponse({ error: "method_not_allowed" }, 405, { ...METADATA_HEADERS, allow: "GET, HEAD, OPTIONS" });
  }
}
