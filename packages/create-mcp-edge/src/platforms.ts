/**
 * What the generator knows about each platform: which app folder it copies, where its entry is,
 * which session stores make sense there and where each store's entry variant lives, and the
 * commands a user runs next. One table, so the prompts, the flags and the files agree.
 */
export const PLATFORMS = ["workers", "deno", "vercel", "lambda", "node", "bun"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const STORES = ["none", "durable-objects", "upstash", "redis", "deno-kv"] as const;
export type Store = (typeof STORES)[number];

export interface PlatformSpec {
  readonly label: string;
  /** The folder under the templates (the repository's apps/) this platform starts from. */
  readonly template: string;
  /** The entry file a store variant replaces. */
  readonly entry: string;
  /** Store -> the variant file that becomes `entry`; `none` keeps the entry as it is. */
  readonly variants: Partial<Record<Exclude<Store, "none">, string>>;
  /** Files and folders holding the variants, removed once one has been chosen. */
  readonly variantFiles: readonly string[];
  /** Dev dependencies a user needs that the in-repository app leaves to the workspace. */
  readonly devDependencies?: Readonly<Record<string, string>>;
  /** Install and run, from inside the project folder. */
  readonly install: string;
  readonly dev: string;
}

export const STORE_LABELS: Record<Store, string> = {
  none: "none (stateless: every request independent)",
  "durable-objects": "Durable Objects (one object per session)",
  upstash: "Upstash Redis (HTTP, any runtime)",
  redis: "Redis (node-redis, TCP)",
  "deno-kv": "Deno KV",
};

/** The npm packages each store adds; the generator drops those of the stores not chosen. */
export const STORE_DEPENDENCIES: Record<Store, readonly string[]> = {
  none: [],
  "durable-objects": [],
  upstash: ["@mcp-edge/upstash", "@upstash/redis"],
  redis: ["@mcp-edge/redis", "redis"],
  "deno-kv": ["@mcp-edge/deno-kv"],
};

export const PLATFORM_SPECS: Record<Platform, PlatformSpec> = {
  workers: {
    label: "Cloudflare Workers",
    template: "workers",
    entry: "src/index.ts",
    variants: { "durable-objects": "src/index.durable-objects.ts", upstash: "src/index.upstash.ts" },
    variantFiles: ["src/index.durable-objects.ts", "src/index.upstash.ts"],
    devDependencies: { wrangler: "^4.164.0" },
    install: "npm install",
    dev: "npm run dev",
  },
  deno: {
    label: "Deno / Deno Deploy",
    template: "deno-deploy",
    entry: "src/main.ts",
    variants: { "deno-kv": "src/main.deno-kv.ts", upstash: "src/main.upstash.ts" },
    variantFiles: ["src/main.deno-kv.ts", "src/main.upstash.ts"],
    install: "deno install",
    dev: "deno task dev",
  },
  vercel: {
    label: "Vercel Functions",
    template: "vercel",
    entry: "api/mcp.ts",
    variants: { upstash: "stores/mcp.upstash.ts" },
    variantFiles: ["stores"],
    install: "npm install",
    // `vercel dev` needs a login; the template's local server runs both runtimes without one.
    dev: "npm run local",
  },
  lambda: {
    label: "AWS Lambda",
    template: "lambda",
    entry: "src/stream.ts",
    variants: { upstash: "src/stream.upstash.ts", redis: "src/stream.redis.ts" },
    variantFiles: ["src/stream.upstash.ts", "src/stream.redis.ts"],
    install: "npm install",
    dev: "npm run dev",
  },
  node: {
    label: "Node.js",
    template: "node",
    entry: "src/index.ts",
    variants: { redis: "src/index.redis.ts", upstash: "src/index.upstash.ts" },
    variantFiles: ["src/index.redis.ts", "src/index.upstash.ts"],
    install: "npm install",
    dev: "npm run build && npm start",
  },
  bun: {
    label: "Bun",
    template: "bun",
    entry: "src/index.ts",
    variants: { redis: "src/index.redis.ts", upstash: "src/index.upstash.ts" },
    variantFiles: ["src/index.redis.ts", "src/index.upstash.ts"],
    install: "bun install",
    dev: "bun run dev",
  },
};

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}

export function isStore(value: string): value is Store {
  return (STORES as readonly string[]).includes(value);
}

/** The stores that make sense on a platform, `none` first. */
export function storesFor(platform: Platform): Store[] {
  return ["none", ...(Object.keys(PLATFORM_SPECS[platform].variants) as Store[])];
}
