/**
 * The official MCP conformance suite (0.1.16, `--suite all`) against the distributed deployment: two example
 * server processes sharing one store, behind the round-robin proxy, so consecutive requests of every scenario
 * land on different instances. Stateful baseline: every scenario must pass (conformance/expected-failures.stateful.yaml
 * is empty, and this test insists it stays so). Results and the CLI log stay in .conformance/distributed-*.
 */
import { join } from "node:path";
import { freshRunDir } from "@mcp-edge/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baselineFile,
  formatTable,
  provisionConformance,
  RESULTS_DIR,
  type RunResult,
  readBaseline,
  runConformance,
  SUITE_ALL_0_1_16,
} from "../../scripts/conformance.mjs";
import { BACKENDS } from "../src/backends.js";
import { type Deployment, startDeployment } from "../src/deployment.js";

const VERSION = "0.1.16";
/** Provisioning may install Node 22 and the CLI on a fresh machine; a healthy run takes seconds. */
const HOOK_TIMEOUT = 600_000;

const RUN_DIR = freshRunDir(RESULTS_DIR, "distributed-");

it("the stateful baseline expects no failure at all", () => {
  expect(readBaseline(baselineFile("stateful"))).toEqual([]);
});

describe.each(BACKENDS)(
  "conformance 0.1.16 --suite all, two instances over $name behind a round-robin proxy",
  (backend) => {
    let d: Deployment;
    let run: RunResult | undefined;

    beforeAll(async () => {
      const tools = await provisionConformance({ versions: [VERSION], quiet: true });
      d = await startDeployment(backend, { label: "conformance" });
      try {
        run = await runConformance({
          url: d.url,
          version: VERSION,
          mode: "stateful",
          node: tools.node,
          cli: tools.clis[VERSION],
          outDir: join(RUN_DIR, backend.name),
        });
        console.log(`\n${backend.name}: ${formatTable(run)}`);
      } catch (error) {
        const logs = d.instances.map((i) => `--- instance ${i.instanceId}\n${i.stdout()}\n${i.stderr()}`).join("\n");
        throw new Error(`conformance run failed: ${(error as Error).message}\n${logs}`);
      }
    }, HOOK_TIMEOUT);

    afterAll(async () => {
      await d?.stop();
    });

    const result = (): RunResult => {
      if (!run) throw new Error("no conformance run (see beforeAll)");
      return run;
    };

    it("ran exactly the 32 scenarios of --suite all", () => {
      expect(
        result()
          .results.map((r) => r.scenario)
          .sort(),
      ).toEqual([...SUITE_ALL_0_1_16].sort());
    });

    it.each(SUITE_ALL_0_1_16)("%s passes", (scenario) => {
      const r = result().results.find((x) => x.scenario === scenario);
      expect(r, `${scenario} produced no result (log: ${result().logFile})`).toBeDefined();
      expect(r?.status, `${scenario}:\n  ${[...(r?.failures ?? []), ...(r?.warnings ?? [])].join("\n  ")}`).toBe(
        "pass",
      );
    });

    it("every request rotated between the instances, and both stayed up", () => {
      const [a = 0, b = 0] = d.proxy.counts();
      expect(a + b).toBe(d.proxy.served);
      expect(a).toBeGreaterThan(50);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
      for (const instance of d.instances) {
        expect(instance.alive()).toBe(true);
        expect(instance.stderr()).not.toMatch(/unhandled|uncaught/i);
      }
    });
  },
);
