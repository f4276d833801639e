/**
 * Sealing of `requestState`, the state a multi-round (MRTR) request carries through the client.
 * The client is not trusted with it: it holds the answers of earlier rounds, so it is encrypted and
 * authenticated (AES-256-GCM, Web Crypto), carries an expiry, and is bound to the principal and to
 * the request (method, name or URI, arguments) it was issued for.
 */

const VERSION_PREFIX = "v1.";
const IV_BYTES = 12;
const MIN_SECRET_BYTES = 32;
const AAD = new TextEncoder().encode("mcp-edge/requestState/v1");
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface Sealed {
  /** Expiry, ms since the epoch. */
  e: number;
  /** Digest of the request the state belongs to. */
  b: string;
  /** The principal, or null without auth. */
  s: string | null;
  p: unknown;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64URL.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = new Uint8Array(binary.length);
    for (let at = 0; at < binary.length; at++) bytes[at] = binary.charCodeAt(at);
    return bytes;
  } catch {
    return undefined;
  }
}

function secretBytes(secret: string | Uint8Array): Uint8Array<ArrayBuffer> {
  // A copy: the caller's array may change later, and it may be backed by a SharedArrayBuffer.
  const bytes = typeof secret === "string" ? new TextEncoder().encode(secret) : Uint8Array.from(secret);
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new RangeError(`requestState keys must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return bytes;
}

async function importKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  // The secret is high-entropy (32 bytes or more): one SHA-256 turns any length into an AES-256 key.
  const raw = await crypto.subtle.digest("SHA-256", secret);
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** JSON with object keys sorted, so the same arguments digest the same however the client ordered them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** What binds a state to its request, as text: the method, its name or URI, and its arguments. */
export function requestBindingText(method: string, target: unknown, args: unknown): string {
  return canonicalJson([method, target ?? null, args ?? null]);
}

/** The digest of a binding text, which is what a sealed state carries. */
export async function digestBinding(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return toBase64Url(new Uint8Array(digest));
}

/** The digest that binds a state to its request: the method, its name or URI, and its arguments. */
export function requestBinding(method: string, target: unknown, args: unknown): Promise<string> {
  return digestBinding(requestBindingText(method, target, args));
}

export class RequestStateSealer {
  readonly #secrets: Uint8Array<ArrayBuffer>[];
  readonly #ttlMs: number;
  #keys: Promise<CryptoKey[]> | undefined;

  /**
   * With no key, one random key for this process: nothing guessable, and nothing to configure for a
   * single instance; instances behind a load balancer need a shared key to open each other's states.
   */
  constructor(secrets: ReadonlyArray<string | Uint8Array> | undefined, ttlMs: number) {
    if (secrets !== undefined && secrets.length === 0) throw new RangeError("requestState.keys must not be empty");
    this.#secrets = secrets ? secrets.map(secretBytes) : [crypto.getRandomValues(new Uint8Array(32))];
    this.#ttlMs = ttlMs;
  }

  #cryptoKeys(): Promise<CryptoKey[]> {
    this.#keys ??= Promise.all(this.#secrets.map(importKey));
    return this.#keys;
  }

  async seal(payload: unknown, binding: string, subject: string | undefined): Promise<string> {
    const [key] = await this.#cryptoKeys();
    if (!key) throw new Error("no requestState key");
    const sealed: Sealed = { e: Date.now() + this.#ttlMs, b: binding, s: subject ?? null, p: payload };
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const cipher = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: AAD },
      key,
      new TextEncoder().encode(JSON.stringify(sealed)),
    );
    const out = new Uint8Array(IV_BYTES + cipher.byteLength);
    out.set(iv);
    out.set(new Uint8Array(cipher), IV_BYTES);
    return VERSION_PREFIX + toBase64Url(out);
  }

  /** The payload, or undefined when the state is malformed, tampered with, expired or someone else's. */
  async open(token: unknown, binding: string, subject: string | undefined): Promise<{ payload: unknown } | undefined> {
    if (typeof token !== "string" || !token.startsWith(VERSION_PREFIX)) return undefined;
    const bytes = fromBase64Url(token.slice(VERSION_PREFIX.length));
    if (!bytes || bytes.byteLength <= IV_BYTES) return undefined;
    const iv = bytes.subarray(0, IV_BYTES);
    const cipher = bytes.subarray(IV_BYTES);
    for (const key of await this.#cryptoKeys()) {
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: AAD }, key, cipher);
      } catch {
        continue;
      }
      let sealed: Sealed;
      try {
        sealed = JSON.parse(new TextDecoder().decode(plain)) as Sealed;
      } catch {
        return undefined;
      }
      if (typeof sealed.e !== "number" || sealed.e < Date.now()) return undefined;
      if (sealed.b !== binding || sealed.s !== (subject ?? null)) return undefined;
      return { payload: sealed.p };
    }
    return undefined;
  }
}
