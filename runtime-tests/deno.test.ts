// The fixture bundle served by real Deno with `deno serve`, which takes the module's default export
// (`export default server`) as the handler: exactly how a user deploys it.
import { join } from "node:path";
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
let deno: RuntimeProcess | undefined;
let fetcher: Fetcher | undefined;

beforeAll(async () => {
  bundle = await bundleFixture();
  // Port 0: Deno binds a free port and prints it, so there is no race for a port picked beforehand.
  deno = startRuntime(runtimeBinary("deno"), ["serve", "--port", "0", "--host", "127.0.0.1", bundle.appPath], {
    cwd: bundle.dir,
    env: {
      // Its caches go to the temp dir; no update check (the machine reaches the npm registry only).
      DENO_DIR: join(bundle.dir, ".deno"),
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
    },
  });
  const origin = await deno.waitFor(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);
  fetcher = httpFetcher(origin);
});

afterAll(async () => {
  await deno?.stop();
  await bundle?.remove();
});

describe("deno serve", () => {
  mcpRuntimeTests(() => {
    if (!fetcher) throw new Error("deno did not start");
    return fetcher;
  }, /^deno 2\.9\.6$/);
});
