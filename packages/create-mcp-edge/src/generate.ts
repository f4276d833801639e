/**
 * Writes a ready project: the platform's app copied from the templates, the chosen store's entry in
 * place of the default one, and the files that name the store (package.json, README, wrangler.toml,
 * deno.json, vercel.json) adjusted. Node built-ins only.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { checkCombination } from "./args.js";
import { PLATFORM_SPECS, type Platform, STORE_DEPENDENCIES, STORES, type Store } from "./platforms.js";

/** The range generated projects ask for; the kit's packages are versioned together. */
export const KIT_RANGE = "^0.1.0";

const GITIGNORE = [
  "node_modules/",
  "dist/",
  ".local/",
  ".wrangler/",
  ".vercel/",
  ".aws-sam/",
  ".dev.vars",
  ".env",
  "",
].join("\n");

/** What never belongs in a generated project, wherever the templates come from. */
const SKIPPED = new Set(["node_modules", "dist", ".local", ".wrangler", ".vercel", ".aws-sam", ".turbo"]);

export interface GenerateOptions {
  platform: Platform;
  store: Store;
  /** The project folder; created, and must be empty if it exists. */
  dir: string;
  /** The folder holding one folder per app (the package's bundled templates, or the repository's apps/). */
  templatesDir: string;
}

export interface Generated {
  dir: string;
  name: string;
  /** The three commands to run next, in order. */
  nextSteps: [string, string, string];
}

export function generateProject(options: GenerateOptions): Generated {
  const { platform, store } = options;
  checkCombination(platform, store);
  const spec = PLATFORM_SPECS[platform];
  const dir = resolve(options.dir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty`);
  const source = join(options.templatesDir, spec.template);
  if (!existsSync(source)) throw new Error(`no template for ${platform} at ${source}`);
  cpSync(source, dir, { recursive: true, filter: (path) => !SKIPPED.has(basename(path)) });

  const variant = store === "none" ? undefined : spec.variants[store];
  if (variant !== undefined) renameSync(join(dir, variant), join(dir, spec.entry));
  for (const file of spec.variantFiles) rmSync(join(dir, file), { recursive: true, force: true });

  const name = packageName(basename(dir));
  writePackageJson(dir, name, platform, store);
  writeReadme(dir, name, store);
  if (platform === "workers") editWranglerToml(dir, name, store);
  if (platform === "deno" && store === "deno-kv") editDenoJson(dir);
  if (platform === "vercel" && store !== "none") dropEdgeFunction(dir);
  // Written here rather than shipped: npm leaves .gitignore files out of tarballs.
  writeFileSync(join(dir, ".gitignore"), GITIGNORE);
  return { dir, name, nextSteps: [`cd ${options.dir}`, spec.install, spec.dev] };
}

/** npm's rules: lower case, URL-safe; a folder name like "My Server" becomes "my-server". */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[-._]+|-+$/g, "");
  return name.length > 0 ? name : "my-mcp-server";
}

type Json = Record<string, unknown>;

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, "utf8")) as Json;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function writePackageJson(dir: string, name: string, platform: Platform, store: Store): void {
  const path = join(dir, "package.json");
  const pkg = readJson(path);
  const unused = STORES.filter((other) => other !== store).flatMap((other) => STORE_DEPENDENCIES[other]);
  const ranges = (deps: unknown): Record<string, string> | undefined => {
    if (typeof deps !== "object" || deps === null) return undefined;
    const out: Record<string, string> = {};
    for (const [dep, range] of Object.entries(deps as Record<string, string>)) {
      if (unused.includes(dep) && !STORE_DEPENDENCIES[store].includes(dep)) continue;
      out[dep] = range.startsWith("workspace:") ? KIT_RANGE : range;
    }
    return out;
  };
  const devDependencies = { ...ranges(pkg.devDependencies), ...PLATFORM_SPECS[platform].devDependencies };
  const dependencies = ranges(pkg.dependencies);
  const generated: Json = { name, version: "0.1.0", private: true, type: "module" };
  for (const key of ["engines", "scripts"]) if (pkg[key] !== undefined) generated[key] = pkg[key];
  if (dependencies !== undefined && Object.keys(dependencies).length > 0) generated.dependencies = sorted(dependencies);
  if (Object.keys(devDependencies).length > 0) generated.devDependencies = sorted(devDependencies);
  writeJson(path, generated);
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The app README speaks of every store; blocks between `<!-- store: a, b -->` and `<!-- /store -->`
 * stay only when the chosen store is listed. The title becomes the project's name.
 */
export function filterReadme(text: string, store: Store): string {
  const kept: string[] = [];
  let keep = true;
  for (const line of text.split("\n")) {
    const open = /^<!-- store: ([a-z, -]+) -->$/.exec(line.trim());
    if (open) {
      keep = (open[1] ?? "").split(",").some((listed) => listed.trim() === store);
      continue;
    }
    if (line.trim() === "<!-- /store -->") {
      keep = true;
      continue;
    }
    if (keep) kept.push(line);
  }
  return kept.join("\n").replace(/\n{3,}/g, "\n\n");
}

function writeReadme(dir: string, name: string, store: Store): void {
  const path = join(dir, "README.md");
  if (!existsSync(path)) return;
  const text = filterReadme(readFileSync(path, "utf8"), store).replace(/^# .*$/m, `# ${name}`);
  writeFileSync(path, text);
}

function editWranglerToml(dir: string, name: string, store: Store): void {
  const path = join(dir, "wrangler.toml");
  let toml = readFileSync(path, "utf8").replace(/^name = ".*"$/m, `name = "${name}"`);
  if (store === "durable-objects") {
    toml +=
      "\n# One Durable Object per session (SQLite storage), created by the migration on first deploy.\n" +
      '[[durable_objects.bindings]]\nname = "MCP_SESSIONS"\nclass_name = "McpSessionObject"\n\n' +
      '[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["McpSessionObject"]\n';
  }
  if (store === "upstash") {
    toml +=
      "\n# The token is a secret: npx wrangler secret put UPSTASH_REDIS_REST_TOKEN (locally: .dev.vars).\n" +
      '[vars]\nUPSTASH_REDIS_REST_URL = "https://<your-database>.upstash.io"\n';
  }
  writeFileSync(path, toml);
}

function editDenoJson(dir: string): void {
  const path = join(dir, "deno.json");
  const config = readJson(path);
  config.unstable = ["kv"];
  writeJson(path, config);
}

/** The Edge example function is stateless; a project with sessions keeps the one configured function. */
function dropEdgeFunction(dir: string): void {
  rmSync(join(dir, "api", "mcp-edge.ts"), { force: true });
  const path = join(dir, "vercel.json");
  const config = readJson(path) as { rewrites?: { source: string }[] };
  config.rewrites = (config.rewrites ?? []).filter((rewrite) => rewrite.source !== "/mcp-edge");
  writeJson(path, config);
}
