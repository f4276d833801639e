import type { McpServerOptions } from "../server/options.js";

/** The three stores a platform entry may provide (see `PlatformDefaults.storage`). */
export type PlatformStorage = Required<Pick<McpServerOptions, "sessionStore" | "streamManager">> &
  Pick<McpServerOptions, "eventStore">;

/** The options with the platform's stores filled in where the application left them out. */
export function withPlatformStorage(options: McpServerOptions, storage: PlatformStorage | undefined): McpServerOptions {
  if (!storage || options.sessionStore !== undefined || options.stateless === true) return options;
  return {
    ...options,
    sessionStore: storage.sessionStore,
    streamManager: options.streamManager ?? storage.streamManager,
    eventStore: options.eventStore ?? storage.eventStore,
  };
}
