/** Command-line flags of create-mcp-edge; what is not given is asked for, or defaulted with --yes. */
import { isPlatform, isStore, PLATFORM_SPECS, type Platform, type Store, storesFor } from "./platforms.js";

export interface Options {
  platform?: Platform;
  store?: Store;
  dir?: string;
  /** Take the defaults for whatever no flag gave, and never prompt. */
  yes: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm create mcp-edge@latest [dir] -- [--platform P] [--store S] [--yes]

  --platform  workers | deno | vercel | lambda | node | bun
  --store     none | durable-objects | upstash | redis | deno-kv (what the platform supports)
  --dir       the folder to create (or give it as the first argument)
  --yes, -y   no questions: defaults for anything not given (store none, folder my-mcp-server)
  --help, -h  this text`;

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseArgs(argv: readonly string[]): Options {
  const options: Options = { yes: false, help: false };
  const rest = [...argv];
  const value = (flag: string, inline: string | undefined): string => {
    const taken = inline ?? rest.shift();
    if (taken === undefined || (inline === undefined && taken.startsWith("-"))) {
      throw new UsageError(`${flag} needs a value`);
    }
    return taken;
  };
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? splitOnce(arg) : [arg, undefined];
    switch (flag) {
      case "--platform": {
        const platform = value(flag, inline);
        if (!isPlatform(platform)) throw new UsageError(`unknown platform "${platform}"`);
        options.platform = platform;
        break;
      }
      case "--store": {
        const store = value(flag, inline);
        if (!isStore(store)) throw new UsageError(`unknown store "${store}"`);
        options.store = store;
        break;
      }
      case "--dir":
        options.dir = value(flag, inline);
        break;
      case "--yes":
      case "-y":
        options.yes = true;
        break;
      case "--help":
      case "-h":
        options.help = true;
        break;
      default:
        if (flag.startsWith("-")) throw new UsageError(`unknown option ${flag}`);
        if (options.dir !== undefined) throw new UsageError(`one folder only (got "${options.dir}" and "${flag}")`);
        options.dir = flag;
    }
  }
  if (options.platform !== undefined && options.store !== undefined) checkCombination(options.platform, options.store);
  return options;
}

/** Refuses a store the platform cannot use, naming the ones it can. */
export function checkCombination(platform: Platform, store: Store): void {
  const allowed = storesFor(platform);
  if (!allowed.includes(store)) {
    throw new UsageError(
      `${PLATFORM_SPECS[platform].label} cannot keep sessions in "${store}"; choose one of: ${allowed.join(", ")}`,
    );
  }
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf("=");
  return [arg.slice(0, at), arg.slice(at + 1)];
}
