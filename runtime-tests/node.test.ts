// The fixture bundle served by @mcp-edge/node in a plain `node` process of its own (not inside the
// test runner's module loader), the way `serve(server)` runs in production.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bundle,
  bundleFixture,
  type Fetcher,
  httpFetcher,
  initialize,
  type RuntimeProcess,
  startRuntime,
} from "./harness.js";
import { mcpRuntimeTests } from "./shared-tests.js";

const require = createRequire(import.meta.url);

let bundle: Bundle | undefined;
let node: RuntimeProcess | undefined;
let fetcher: Fetcher | undefined;

beforeAll(async () => {
  bundle = await bundleFixture();
  // The built package, as a user gets it (the temp dir has no node_modules to resolve it from).
  const nodeEntry = pathToFileURL(require.resolve("@mcp-edge/node")).href;
  const script = await bundle.write(
    "node-entry.mjs",
    `import app from "./app.js";
import { serve } from ${JSON.stringify(nodeEntry)};
const handle = await serve(app, { port: 0 });
console.log(JSON.stringify({ port: handle.port }));
`,
  );
  node = startRuntime(process.execPath, [script], { cwd: bundle.dir });
  const port = await node.waitFor(/\{"port":(\d+)\}/);
  fetcher = httpFetcher(`http://127.0.0.1:${port}`);
});

afterAll(async () => {
  await node?.stop();
  await bundle?.remove();
});

describe("node (@mcp-edge/node)", () => {
  const current = () => {
    if (!fetcher) throw new Error("node did not start");
    return fetcher;
  };
  mcpRuntimeTests(current, new RegExp(`^node ${process.versions.node.replaceAll(".", "\\.")}$`));

  // Last: it ends the process. serve() handles SIGTERM by default; a drained server exits 0.
  it("shuts down on SIGTERM and exits 0", async () => {
    expect((await initialize(current())).status).toBe(200);
    const child = node?.child;
    if (!child) throw new Error("node did not start");
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    child.kill("SIGTERM");

    expect(await exited).toBe(0);
  });
});
