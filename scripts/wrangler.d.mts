// Types for scripts/wrangler.mjs, so TypeScript tests can import it.
export const WRANGLER_VERSION: string;
export const WORKERD_COMPATIBILITY_DATE: string;
export const WRANGLER_ENV: Readonly<Record<string, string>>;
export function provisionWrangler(opts?: { quiet?: boolean }): Promise<{ node: string; wrangler: string }>;
export function freePort(): Promise<number>;
export interface WranglerDev {
  /** The MCP endpoint, on 127.0.0.1. */
  url: string;
  /** Everything wrangler and workerd printed so far. */
  log(): string;
  stop(): Promise<void>;
}
export function startWranglerDev(opts?: { vars?: Record<string, string>; timeoutMs?: number }): Promise<WranglerDev>;
