export function generate(options: {
  createTarball: string | undefined;
  platform: string;
  store: string;
  dir: string;
}): Promise<string>;
export function install(dir: string, tarballs: readonly string[], options: { dev: boolean }): Promise<void>;
export function freePort(): Promise<number>;
export interface LocalServer {
  url: string;
  stop(): Promise<void>;
  log(): string;
}
export interface StartOptions {
  /** Lambda: serve the streaming function (src/stream.ts) instead of the buffered one. */
  lambdaStream?: boolean;
}
export function start(
  platform: string,
  dir: string,
  env?: Record<string, string>,
  options?: StartOptions,
): Promise<LocalServer | undefined>;
export function endpointPaths(platform: string, store: string): string[];
export function listProject(dir: string): string[];
