// The fixture bundle as a Workers module (`export default server`) inside real workerd, through
// miniflare. dispatchFetch talks to workerd's own HTTP socket: no Node code answers these requests.
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe } from "vitest";
import { type Bundle, bundleFixture, type Fetcher } from "./harness.js";
import { mcpRuntimeTests } from "./shared-tests.js";

let bundle: Bundle | undefined;
let mf: Miniflare | undefined;

beforeAll(async () => {
  bundle = await bundleFixture();
  mf = new Miniflare({
    modules: true,
    scriptPath: bundle.appPath,
    // Module names are paths relative to modulesRoot (default: the cwd); a bundle in the temp dir
    // would be named "../../tmp/...", which workerd refuses ("can't use .. to break out").
    modulesRoot: bundle.dir,
    // workerd 1.20260426 refuses dates after its own release.
    compatibilityDate: "2026-04-26",
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
  await bundle?.remove();
});

const fetcher: Fetcher = async (path, init) => {
  if (!mf) throw new Error("miniflare did not start");
  const response = await mf.dispatchFetch(new URL(path, "http://localhost"), init);
  // Miniflare answers with its own undici Response class; rebuild a global one for the shared helpers.
  return new Response(await response.text(), {
    status: response.status,
    headers: Object.fromEntries(response.headers),
  });
};

describe("workerd (miniflare)", () => {
  mcpRuntimeTests(() => fetcher, /^workerd$/);
});
