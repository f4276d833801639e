// Build step: copies the deployable apps (the repository's apps/<platform>) into dist/templates, so
// the published tarball carries the very files the repository tests. Node built-ins only.
import { cpSync, existsSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const apps = join(pkg, "..", "..", "apps");
const out = join(pkg, "dist", "templates");
const TEMPLATES = ["workers", "deno-deploy", "vercel", "lambda", "node", "bun"];
const SKIPPED = new Set(["node_modules", "dist", ".local", ".wrangler", ".vercel", ".aws-sam", ".turbo"]);

rmSync(out, { recursive: true, force: true });
for (const name of TEMPLATES) {
  const source = join(apps, name);
  if (!existsSync(source)) throw new Error(`missing template ${source}`);
  cpSync(source, join(out, name), { recursive: true, filter: (path) => !SKIPPED.has(basename(path)) });
}
console.log(`copied ${TEMPLATES.length} templates into dist/templates`);
