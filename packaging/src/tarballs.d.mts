export const ROOT: string;
export const PACK_COMMAND: readonly string[];
export function publishedPackages(): Map<string, string>;
export function packAll(dest: string): Map<string, string>;
export function tarballsFor(projectDir: string, tarballs: Map<string, string>): string[];
