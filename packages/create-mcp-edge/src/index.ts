// The generator as a library, for scripts and tests; the command is bin/create-mcp-edge.js.
export { type Options, parseArgs, USAGE, UsageError } from "./args.js";
export { BUNDLED_TEMPLATES, type CliIo, DEFAULT_DIR, main } from "./cli.js";
export {
  filterReadme,
  type Generated,
  type GenerateOptions,
  generateProject,
  KIT_RANGE,
  packageName,
} from "./generate.js";
export {
  isPlatform,
  isStore,
  PLATFORM_SPECS,
  PLATFORMS,
  type Platform,
  type PlatformSpec,
  STORES,
  type Store,
  storesFor,
} from "./platforms.js";
