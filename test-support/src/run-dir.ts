import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * A timestamped folder under `parent` for this run's output (`<prefix><timestamp>`, not created here), after
 * removing all but the last `keep` earlier ones with the same prefix, so results of recent runs stay readable.
 */
export function freshRunDir(parent: string, prefix: string, keep = 4): string {
  if (existsSync(parent)) {
    const old = readdirSync(parent)
      .filter((name) => name.startsWith(prefix))
      .sort();
    for (const name of old.slice(0, Math.max(0, old.length - keep))) {
      rmSync(join(parent, name), { recursive: true, force: true });
    }
  }
  return join(parent, `${prefix}${new Date().toISOString().replace(/[:.]/g, "-")}`);
}
