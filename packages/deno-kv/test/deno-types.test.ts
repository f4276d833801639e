// The structural KV types are checked against the real ones: `Deno.Kv` from Deno 2.9.6's own
// declarations (`deno check`), and `@deno/kv`'s `openKv` (by tsc, in node.test.ts).
import { spawn } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { denoBinary, denoEnv } from "./deno-binary.js";

const here = dirname(fileURLToPath(import.meta.url));

it("accepts Deno.openKv() where the stores take a DenoKv", { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "mcp-edge-deno-kv-types-"));
  try {
    // kv.ts imports nothing, so a copy checks exactly what the package declares.
    await copyFile(join(here, "..", "src", "kv.ts"), join(dir, "kv.ts"));
    const program = [
      'import type { DenoKv } from "./kv.ts";',
      "const kv: DenoKv = await Deno.openKv();",
      "kv.watch([['a']], { raw: true });",
    ].join("\n");
    await writeFile(join(dir, "check.ts"), program);
    const child = spawn(denoBinary(), ["check", "--unstable-kv", "check.ts"], { cwd: dir, env: denoEnv(dir) });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code, output).toBe(0);
    expect(output).toContain("Check");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
