/**
 * Signature algorithms accepted by default: asymmetric only. A symmetric one (HS256) would let a token
 * signed with the issuer's public key as an HMAC secret pass where the verifier expects RSA ("HS/RS
 * confusion"), and `none` is no signature at all.
 */
export const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;

const ASYMMETRIC = new Set<string>(ASYMMETRIC_ALGORITHMS);

/** The algorithms to accept: a subset of the asymmetric ones; anything else is a configuration error. */
export function allowedAlgorithms(requested: readonly string[] | undefined): string[] {
  if (requested === undefined) return [...ASYMMETRIC_ALGORITHMS];
  if (requested.length === 0) throw new Error("algorithms must name at least one algorithm");
  for (const algorithm of requested) {
    if (!ASYMMETRIC.has(algorithm)) {
      throw new Error(
        `algorithm ${String(algorithm).slice(0, 20)} is not accepted: only asymmetric signatures (${ASYMMETRIC_ALGORITHMS.join(", ")})`,
      );
    }
  }
  return [...requested];
}
