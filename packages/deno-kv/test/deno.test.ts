// Runs the shared storage contract on real Deno: vitest itself on the Deno runtime, with KV enabled,
// over `Deno.openKv` (test/deno/contract.deno.ts), and checks what that run reported.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { denoBinary, denoEnv } from "./deno-binary.js";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

interface JsonReport {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

it("passes the storage contract on Deno, in-memory and file-backed", { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "mcp-edge-deno-kv-vitest-"));
  try {
    const report = join(dir, "report.json");
    const vitest = join(dirname(require.resolve("vitest/package.json")), "vitest.mjs");
    const args = [
      "run",
      "--allow-all",
      "--unstable-kv",
      vitest,
      "run",
      "--config",
      join(here, "deno", "vitest.deno.config.ts"),
    ];
    args.push("--reporter=default", "--reporter=json", `--outputFile.json=${report}`);
    const child = spawn(denoBinary(), args, {
      cwd: join(here, ".."),
      env: denoEnv(dir),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const result = JSON.parse(await readFile(report, "utf8")) as JsonReport;
    const failed = result.testResults
      .flatMap((file) => file.assertionResults)
      .filter((test) => test.status !== "passed")
      .map((test) => `${test.fullName}: ${test.status} ${test.failureMessages.join("\n").slice(0, 500)}`);
    expect(failed, output.slice(-4000)).toEqual([]);
    // Every contract ran, on both databases, and nothing was skipped.
    const names = result.testResults.flatMap((file) => file.assertionResults).map((test) => test.fullName);
    for (const kind of ["memory", "file"]) {
      for (const contract of ["SessionStore", "StreamManager", "EventStore", "EventStore listeners"]) {
        expect(names.some((name) => name.startsWith(`${contract} contract: deno kv (Deno 2.9.6, ${kind})`))).toBe(true);
      }
    }
    expect(result.numPassedTests).toBe(result.numTotalTests);
    expect(result.numPendingTests).toBe(0);
    expect(result.success, output.slice(-4000)).toBe(true);
    // The verdict is vitest's own report above. The exit status is not asserted: Deno 2.9.6 running
    // vitest intermittently exits 1 after a run whose report is clean and whose output shows no error
    // (measured: 2 of 7 runs), which says nothing about the stores. It is kept in the message.
    expect(code === 0 || code === 1, `deno exited ${code}\n${output.slice(-4000)}`).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
