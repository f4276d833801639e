// The fixture bundle served by real Bun through `Bun.serve({ fetch: app.fetch })`: passing the method
// unbound is how Bun users write it, so this also proves `server.fetch` is bound.
import { afterAll, beforeAll, describe } from "vitest";
import {
  type Bundle,
  bundleFixture,
  type Fetcher,
  httpFetcher,
  type RuntimeProcess,
  runtimeBinary,
  startRuntime,
} from "./harness.js";
import { mcpRuntimeTests } from "./shared-tests.js";

let bundle: Bundle | undefined;
let bun: RuntimeProcess | undefined;
let fetcher: Fetcher | undefined;

const entry = `import app from "./app.js";
// Port 0: Bun binds a free port and reports it, so there is no race for a port picked beforehand.
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
console.log(JSON.stringify({ port: server.port }));
`;

beforeAll(async () => {
  bundle = await bundleFixture();
  const script = await bundle.write("bun-entry.js", entry);
  bun = startRuntime(runtimeBinary("bun"), [script], {
    cwd: bundle.dir,
    env: { DO_NOT_TRACK: "1", NO_COLOR: "1" },
  });
  const port = await bun.waitFor(/\{"port":(\d+)\}/);
  fetcher = httpFetcher(`http://127.0.0.1:${port}`);
});

afterAll(async () => {
  await bun?.stop();
  await bundle?.remove();
});

describe("Bun.serve", () => {
  mcpRuntimeTests(() => {
    if (!fetcher) throw new Error("bun did not start");
    return fetcher;
  }, /^bun 1\.4\.5$/);
});
