import fc from "fast-check";
import type { CheckOptions } from "./check.js";
import type { FuzzHarness } from "./harness.js";
import { type RequestSpec, requestSpec } from "./http-arbitraries.js";

/** Arbitrary requests through the whole HTTP surface. */
export function surfaceProperty(
  harness: FuzzHarness,
  specs: fc.Arbitrary<RequestSpec> = requestSpec,
  options: CheckOptions = {},
) {
  return fc.asyncProperty(specs, async (spec) => {
    await harness.run(spec, options);
  });
}
