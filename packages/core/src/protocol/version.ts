import { LATEST_PROTOCOL_VERSION, type ProtocolVersion, SUPPORTED_PROTOCOL_VERSIONS } from "./constants.js";

const supported = new Set<string>(SUPPORTED_PROTOCOL_VERSIONS);

export function isSupportedProtocolVersion(value: unknown): value is ProtocolVersion {
  return typeof value === "string" && supported.has(value);
}

/** Echo a supported requested version; otherwise answer the latest (lifecycle: version negotiation). */
export function negotiateProtocolVersion(requested: unknown): ProtocolVersion {
  return isSupportedProtocolVersion(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

/** ISO dates compare correctly as strings. */
export function isAtLeast(version: ProtocolVersion, minimum: ProtocolVersion): boolean {
  return version >= minimum;
}
