// Edge size: each library's minimal Workers entry (bench/edge/*.mjs) bundled with esbuild the way a
// Worker is (ESM, minified, browser/worker conditions, everything inlined), gzip size reported.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { Dialect } from "./protocol.mjs";

const bench = fileURLToPath(new URL("..", import.meta.url));

export const ENTRIES = [
  { id: "floor", short: "bare hono (floor)", label: "bare hono endpoint (floor)", file: "hono-floor.mjs" },
  {
    id: "ours-plain",
    short: "mcp-edge/stateless, JSON Schema tool",
    label: "mcp-edge stateless preset (`@mcp-edge/core/stateless`), JSON Schema tool (no zod)",
    file: "ours-plain.mjs",
    target: true,
  },
  {
    id: "ours-plain-2026",
    short: "mcp-edge/stateless + lane2026, JSON Schema tool",
    label: "mcp-edge stateless preset with the 2026-07-28 lane (`lane2026`), JSON Schema tool",
    file: "ours-plain-2026.mjs",
  },
  {
    id: "ours-plain-full",
    short: "mcp-edge (full), JSON Schema tool",
    label: "mcp-edge full preset (`@mcp-edge/core`, sessions available), JSON Schema tool",
    file: "ours-plain-full.mjs",
  },
  {
    id: "ours-zod",
    short: "mcp-edge/stateless, zod/v4 tool",
    label: "mcp-edge stateless preset, zod 4 tool (`zod/v4`, the mcp-lite entry's tool and import)",
    file: "ours-zod.mjs",
  },
  {
    id: "ours-zod-mini",
    short: "mcp-edge/stateless, zod/mini tool",
    label: "mcp-edge stateless preset, zod/mini tool (`withJsonSchema(schema, z.toJSONSchema)`)",
    file: "ours-zod-mini.mjs",
  },
  {
    id: "ours-valibot",
    short: "mcp-edge/stateless, valibot tool",
    label: "mcp-edge stateless preset, valibot tool (`toStandardJsonSchema`)",
    file: "ours-valibot.mjs",
  },
  {
    id: "ours-arktype",
    short: "mcp-edge/stateless, arktype tool",
    label: "mcp-edge stateless preset, arktype tool",
    file: "ours-arktype.mjs",
  },
  {
    id: "ours-durable-objects",
    short: "mcp-edge + Durable Object sessions, JSON Schema tool",
    label: "mcp-edge full preset with sessions in Durable Objects (`@mcp-edge/cloudflare`), JSON Schema tool",
    file: "ours-durable-objects.mjs",
    sizeOnly: "needs its Durable Object binding to answer",
  },
  {
    id: "example-worker",
    short: "the example Worker (Durable Objects)",
    label: "the example server's Worker (apps/example: every fixture, zod, Durable Object sessions)",
    file: "example-worker.mjs",
    sizeOnly: "needs its bindings to answer",
  },
  { id: "mcp-lite", short: "mcp-lite (zod/v4)", label: "mcp-lite 0.10 (zod 4, `zod/v4`)", file: "mcp-lite.mjs" },
  {
    id: "sdk-v1",
    short: "SDK v1 stateless",
    label: "SDK v1 1.32, stateless (Web Standard transport)",
    file: "sdk-v1.mjs",
  },
  { id: "sdk-v2", short: "SDK v2 createMcpHandler", label: "SDK v2 2.4 createMcpHandler", file: "sdk-v2.mjs" },
  {
    id: "mcp-use",
    short: "mcp-use getHandler()",
    label: "mcp-use 1.34 getHandler()",
    file: "mcp-use.mjs",
    needs: "mcp-use",
  },
];

/** The request every bundle answers in the start-up measurement (2025, stateless, no initialize). */
export const STARTUP_DIALECT = Dialect.Stateless2025;

/** `../packages/core/dist/x.js` -> `packages/core/dist/x.js`; pnpm store paths -> `pkg/file`. */
function shortPath(file) {
  const store = file.lastIndexOf("node_modules/");
  if (store >= 0) return file.slice(store + "node_modules/".length);
  return file.replace(/^(\.\.\/)+/, "");
}

/**
 * Bundles one entry into `outDir`. Resolves to { ok, bytes, gzipBytes, file } or { ok: false, error }.
 * `node:*` imports are left external (Workers provide them under nodejs_compat) and counted in `nodeImports`.
 */
export async function bundle(entry, outDir) {
  mkdirSync(outDir, { recursive: true });
  const outfile = `${outDir}/${entry.id}.mjs`;
  try {
    const result = await build({
      entryPoints: [`${bench}/edge/${entry.file}`],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      external: ["node:*"],
      nodePaths: entry.needs === "mcp-use" ? [`${bench}/peers/mcp-use/node_modules`] : [],
      write: false,
      metafile: true,
      logLevel: "silent",
      legalComments: "none",
      define: { "process.env.NODE_ENV": '"production"' },
    });
    const code = result.outputFiles[0].contents;
    writeFileSync(outfile, code);
    const output = Object.values(result.metafile.outputs)[0];
    const nodeImports = output.imports.filter((i) => i.external).map((i) => i.path);
    const topInputs = Object.entries(output.inputs)
      .map(([file, { bytesInOutput }]) => [shortPath(file), bytesInOutput])
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    return {
      ok: true,
      file: outfile,
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      nodeImports,
      topInputs,
    };
  } catch (error) {
    const first = error.errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : "";
    const more = error.errors?.length > 1 ? ` (+${error.errors.length - 1} more errors)` : "";
    return { ok: false, error: `${first?.text ?? error.message}${where}${more}` };
  }
}
