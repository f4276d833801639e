import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";

/** How the verifier fetches and keeps the issuer's JSON Web Key Set. */
export interface JwksOptions {
  /** How long a fetched key set is used before it is fetched again. Default 10 minutes. */
  cacheMaxAgeMs?: number;
  /**
   * Least time between two fetches: a token with an unknown `kid` (a rotated key) triggers a refetch,
   * but no more often than this, and a failed fetch is not retried sooner. Default 30 s.
   */
  cooldownMs?: number;
  /** Longest wait for the key set. Default 5 s. */
  timeoutMs?: number;
  /** Most keys kept from one key set (the rest are dropped). Default 32. */
  maxKeys?: number;
  /** Largest key set response read, in bytes. Default 256 KiB. */
  maxBytes?: number;
  /** The fetch used (tests, or a runtime's own); default the global one. */
  fetch?: typeof fetch;
}

/** Thrown when the key set cannot be fetched: the verifier's failure, never the client's. */
export class KeySetUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeySetUnavailableError";
  }
}

/** Public keys only: a symmetric (`oct`) or private key in a published set has no business verifying tokens. */
function usableKeys(keys: unknown, maxKeys: number): JWK[] {
  if (!Array.isArray(keys)) return [];
  const usable: JWK[] = [];
  for (const key of keys) {
    if (usable.length >= maxKeys) break;
    if (typeof key !== "object" || key === null) continue;
    const jwk = key as JWK;
    if (jwk.kty !== "RSA" && jwk.kty !== "EC" && jwk.kty !== "OKP") continue;
    if (jwk.d !== undefined) continue;
    usable.push(jwk);
  }
  return usable;
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new KeySetUnavailableError(`the key set is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * A fetch for jose's remote key set that bounds what it keeps (size, key count, public keys only) and
 * refuses to fetch again within the cooldown of a failed fetch, so an unreachable issuer is not
 * hammered once per request.
 */
function boundedFetch(
  options: Required<Pick<JwksOptions, "cooldownMs" | "maxKeys" | "maxBytes">> & { fetch: typeof fetch },
) {
  let failedAt = Number.NEGATIVE_INFINITY;
  return async (url: string, init: RequestInit): Promise<Response> => {
    if (Date.now() - failedAt < options.cooldownMs) {
      throw new KeySetUnavailableError("the key set could not be fetched recently; not retrying yet");
    }
    try {
      const response = await options.fetch(url, init);
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new KeySetUnavailableError(`the key set answered ${response.status}`);
      }
      const parsed = JSON.parse(await readBounded(response, options.maxBytes)) as { keys?: unknown };
      const keys = usableKeys(parsed?.keys, options.maxKeys);
      return new Response(JSON.stringify({ keys }), { status: 200, headers: { "content-type": "application/json" } });
    } catch (error) {
      failedAt = Date.now();
      throw error instanceof KeySetUnavailableError
        ? error
        : new KeySetUnavailableError("the key set could not be fetched", { cause: error });
    }
  };
}

/** The issuer's keys, fetched from `url` (cached, refetched on an unknown `kid` within bounds). */
export function remoteKeys(url: string | URL, options: JwksOptions = {}): JWTVerifyGetKey {
  const cooldownMs = options.cooldownMs ?? 30_000;
  return createRemoteJWKSet(new URL(url), {
    cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
    cooldownDuration: cooldownMs,
    timeoutDuration: options.timeoutMs ?? 5_000,
    [customFetch]: boundedFetch({
      cooldownMs,
      maxKeys: options.maxKeys ?? 32,
      maxBytes: options.maxBytes ?? 262_144,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    }),
  });
}

/** Keys given in configuration (public JWKs). */
export function localKeys(jwks: JSONWebKeySet, maxKeys = 32): JWTVerifyGetKey {
  return createLocalJWKSet({ keys: usableKeys(jwks.keys, maxKeys) });
}
