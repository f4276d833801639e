import { checkProperty, FuzzHarness, fuzzTestTimeout, repliesProperty } from "@mcp-edge/test-support/fuzz";
import { it } from "vitest";
import { fuzzServer, memoryTarget } from "./servers.js";

it(
  "answers a tool call that asks the client, whatever the client replies (in memory)",
  async () => {
    const harness = new FuzzHarness(memoryTarget("stateful", fuzzServer("stateful")));
    await checkProperty("core/replies", repliesProperty(harness));
  },
  fuzzTestTimeout("core/replies"),
);
