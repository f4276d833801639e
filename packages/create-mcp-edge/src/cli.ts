/** The command: flags first, questions (readline) for what they leave open, then the project. */
import { createInterface, type Interface } from "node:readline/promises";
import { fileURLToPath } from "node:url";
import { checkCombination, type Options, parseArgs, USAGE, UsageError } from "./args.js";
import { generateProject } from "./generate.js";
import {
  isPlatform,
  isStore,
  PLATFORM_SPECS,
  PLATFORMS,
  type Platform,
  STORE_LABELS,
  type Store,
  storesFor,
} from "./platforms.js";

export const DEFAULT_DIR = "my-mcp-server";

/** Templates ship in the package next to the compiled code (copied there at build time). */
export const BUNDLED_TEMPLATES = fileURLToPath(new URL("./templates/", import.meta.url));

export interface CliIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether questions can be asked (a terminal on stdin). */
  interactive: boolean;
  templatesDir?: string;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const print = (line = "") => io.output.write(`${line}\n`);
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(`create-mcp-edge: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    print(USAGE);
    return 0;
  }
  const asking = !options.yes && io.interactive;
  if (!asking && options.platform === undefined) {
    print(`create-mcp-edge: --platform is needed when no questions can be asked\n\n${USAGE}`);
    return 2;
  }
  const rl = asking ? createInterface({ input: io.input, output: io.output }) : undefined;
  try {
    const platform = options.platform ?? (await choose(rl as Interface, "Platform", PLATFORMS, platformLabel));
    const store = options.store ?? (rl ? await choose(rl, "Sessions", storesFor(platform), storeLabel) : "none");
    checkCombination(platform, store);
    const dir = options.dir ?? (rl ? await ask(rl, "Folder", DEFAULT_DIR) : DEFAULT_DIR);
    const result = generateProject({ platform, store, dir, templatesDir: io.templatesDir ?? BUNDLED_TEMPLATES });
    print(`\nCreated ${result.name} (${PLATFORM_SPECS[platform].label}, sessions: ${store}) in ${result.dir}\n`);
    print("Next:");
    for (const step of result.nextSteps) print(`  ${step}`);
    return 0;
  } catch (error) {
    print(`create-mcp-edge: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    rl?.close();
  }
}

function platformLabel(platform: Platform): string {
  return PLATFORM_SPECS[platform].label;
}

function storeLabel(store: Store): string {
  return STORE_LABELS[store];
}

/** A numbered list; an empty answer takes the first entry, a number or a name picks one. */
async function choose<T extends string>(
  rl: Interface,
  title: string,
  choices: readonly T[],
  label: (choice: T) => string,
): Promise<T> {
  const lines = choices.map((choice, index) => `  ${index + 1}. ${choice.padEnd(16)} ${label(choice)}`);
  for (;;) {
    const answer = (await rl.question(`${title}:\n${lines.join("\n")}\n> `)).trim();
    if (answer === "") return choices[0] as T;
    const byNumber = choices[Number(answer) - 1];
    if (/^\d+$/.test(answer) && byNumber !== undefined) return byNumber;
    const byName = choices.find((choice) => choice === answer);
    if (byName !== undefined && (isPlatform(byName) || isStore(byName))) return byName;
    rl.write(`"${answer}" is not one of the choices\n`);
  }
}

async function ask(rl: Interface, title: string, fallback: string): Promise<string> {
  const answer = (await rl.question(`${title} (${fallback}): `)).trim();
  return answer === "" ? fallback : answer;
}
