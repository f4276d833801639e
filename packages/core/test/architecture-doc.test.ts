// docs/architecture.md names files; each must exist, so the map stays true as the code moves.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const coreSrc = fileURLToPath(new URL("../src/", import.meta.url));

it("names only files and folders that exist", () => {
  const doc = readFileSync(`${root}docs/architecture.md`, "utf8");
  const named = new Set<string>();
  for (const match of doc.matchAll(/`([\w./-]+\/[\w.-]+)`/g)) {
    const path = match[1] ?? "";
    if (path.startsWith("@") || path.includes("*")) continue;
    named.add(path);
  }
  expect(named.size).toBeGreaterThan(20);
  const missing = [...named].filter((path) => !existsSync(`${root}${path}`) && !existsSync(`${coreSrc}${path}`));
  expect(missing).toEqual([]);
});
