// Runs the project's Vercel Functions on your machine with no Vercel login (`vercel dev` needs one):
// every function in api/ on one loopback server, each in its runtime, with vercel.json's rewrites.
//   api/mcp.ts        Node.js runtime: its GET/POST/... exports get a Web Request and return a Response,
//                     as Vercel's Node.js runtime calls them (http://127.0.0.1:3000/mcp)
//   api/mcp-edge.ts   `config = { runtime: "edge" }`: bundled and run in edge-runtime, Vercel's local
//                     implementation of the Edge runtime (http://127.0.0.1:3000/mcp-edge)
// PORT and HOST change the address. The functions see this process's environment, as `vercel dev`
// passes a project's environment variables to them.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { createHandler, EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, ".local");
mkdirSync(outDir, { recursive: true });

// Outside Next.js a function chooses the Edge runtime with `export const config = { runtime: "edge" }`.
const EDGE_CONFIG = /export\s+const\s+config\s*=\s*\{[^}]*runtime\s*:\s*["']edge["']/;

/** A route module answers with its export named after the method; Vercel answers 405 for the others. */
function dispatch(route, request) {
  const handler = route[request.method];
  return handler ? handler(request) : new Response(null, { status: 405 });
}

async function nodeFunction(file) {
  const outfile = join(outDir, `${basename(file, ".ts")}.mjs`);
  // Dependencies stay in node_modules, loaded by Node as the deployed function loads them.
  await build({
    entryPoints: [file],
    outfile,
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  const route = await import(pathToFileURL(outfile).href);
  return getRequestListener((request) => dispatch(route, request));
}

async function edgeFunction(file) {
  // The Edge runtime has no module loader: one script that answers FetchEvents, dependencies included.
  const bundle = await build({
    stdin: {
      contents: [
        `import * as route from ${JSON.stringify(file)};`,
        `addEventListener("fetch", (event) => {`,
        `  const handler = route[event.request.method];`,
        `  event.respondWith(handler ? handler(event.request) : new Response(null, { status: 405 }));`,
        `});`,
      ].join("\n"),
      resolveDir: root,
      loader: "js",
    },
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    logLevel: "warning",
  });
  const env = { ...process.env };
  // No codeGeneration option: eval and new Function stay forbidden, as on Vercel.
  const runtime = new EdgeRuntime({
    initialCode: bundle.outputFiles[0].text,
    extend: (context) => Object.assign(context, { process: { env } }),
  });
  return createHandler({ runtime }).handler;
}

/** `/api/<name>` -> the Node listener of the function in api/<name>.ts, in its runtime. */
const functions = new Map();
for (const name of readdirSync(join(root, "api"))) {
  if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
  const file = join(root, "api", name);
  const edge = EDGE_CONFIG.test(readFileSync(file, "utf8"));
  functions.set(`/api/${basename(name, ".ts")}`, {
    runtime: edge ? "edge" : "nodejs",
    listener: edge ? await edgeFunction(file) : await nodeFunction(file),
  });
}

const configPath = join(root, "vercel.json");
const rewrites = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, "utf8")).rewrites ?? []) : [];

function route(url) {
  const path = new URL(url ?? "/", "http://localhost").pathname;
  const rewrite = rewrites.find((candidate) => candidate.source === path);
  return functions.get(rewrite ? rewrite.destination : path);
}

const server = createServer((request, response) => {
  const target = route(request.url);
  if (target === undefined) {
    response.writeHead(404, { "content-type": "text/plain" }).end("no function at this path\n");
    return;
  }
  Promise.resolve(target.listener(request, response)).catch((error) => {
    if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
    response.end(`the function failed: ${error instanceof Error ? error.message : String(error)}\n`);
  });
});
const host = process.env.HOST ?? "127.0.0.1";
server.listen(Number(process.env.PORT ?? 3000), host, () => {
  const { port } = server.address();
  for (const [path, { runtime }] of functions) {
    const rewrite = rewrites.find((candidate) => candidate.destination === path);
    console.log(`${runtime.padEnd(6)} http://${host}:${port}${rewrite ? rewrite.source : path}`);
  }
});
