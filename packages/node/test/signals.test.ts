import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SseReader } from "@mcp-edge/test-support/wire";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Signals need a process of their own: the fixture is bundled (TypeScript source included) into a
// plain ESM file that node runs directly.
let dir: string;
let script: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-edge-node-signals-"));
  script = join(dir, "signal-server.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./fixtures/signal-server.ts", import.meta.url))],
    outfile: script,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, "SIGKILL");
  }
  await rm(dir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  port: number;
  /** Resolves with the first stdout message matching `key`. */
  message(key: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startChild(env: Record<string, string> = {}): Promise<Child> {
  // Its own process group, so afterAll can stop it and anything it started.
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const seen: Record<string, unknown>[] = [];
  const waiters: Array<{ key: string; resolve: (message: Record<string, unknown>) => void }> = [];
  if (!child.stdout) throw new Error("no stdout");
  createInterface({ input: child.stdout }).on("line", (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    seen.push(message);
    for (const waiter of waiters.splice(0)) {
      if (waiter.key in message) waiter.resolve(message);
      else waiters.push(waiter);
    }
  });
  const message = (key: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const found = seen.find((m) => key in m);
      if (found) resolve(found);
      else waiters.push({ key, resolve });
    });
  const { port } = (await message("port")) as { port: number };
  return { process: child, port, message, exited };
}

describe("serve: process signals", () => {
  it("on SIGTERM finishes the in-flight request, ends open SSE streams, and exits 0", async () => {
    const child = await startChild();
    const base = `http://127.0.0.1:${child.port}`;

    const stream = await fetch(`${base}/stream`);
    if (!stream.body) throw new Error("no body");
    const events = new SseReader(stream.body);
    expect(await events.nextData()).toEqual({ n: 1 });
    const slow = fetch(`${base}/slow`);
    await child.message("entered");

    child.process.kill("SIGTERM");

    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("finished after the signal");
    expect(await events.nextData()).toBeUndefined();
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });

  it("a second SIGINT exits at once, without waiting for hung requests", async () => {
    // A grace period far longer than any test run: only the second signal can end this process.
    const child = await startChild({ GRACEFUL_SHUTDOWN_MS: String(24 * 3600 * 1000) });
    const hung = fetch(`http://127.0.0.1:${child.port}/hang`).then(
      () => "answered",
      () => "cut",
    );
    await child.message("entered");

    child.process.kill("SIGINT");
    await child.message("signal");
    child.process.kill("SIGINT");

    expect(await child.exited).toEqual({ code: 130, signal: null });
    expect(await hung).toBe("cut");
  });
});
