function randomHex(byteCount: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(byteCount));
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

/**
 * 128 bits from the platform CSPRNG (Web Crypto), hex-encoded: visible ASCII only, as the
 * transport requires for `Mcp-Session-Id`.
 */
export function newSessionId(): string {
  return randomHex(16);
}

/** Shorter random ids for streams and server-to-client requests: unique within a session. */
export function newShortId(): string {
  return randomHex(9);
}

const VISIBLE_ASCII = /^[\x21-\x7e]{1,256}$/;
export function isWellFormedSessionId(value: string): boolean {
  return VISIBLE_ASCII.test(value);
}
