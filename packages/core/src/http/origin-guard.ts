import { AllowListEnv } from "./allow-lists.js";

/**
 * DNS-rebinding protection: with no allow-list only loopback names pass, on any port. Deployments
 * behind a public name list their hosts/origins (or "*" to opt out, e.g. behind a trusted proxy).
 */
const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Enough to recognise a name in the 403 message; the rest only makes a hostile header longer. */
const MAX_REFLECTED_LENGTH = 100;

function hostnameOf(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(0, end + 1) : host;
  }
  const colon = host.indexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

export interface OriginGuard {
  hostAllowed(host: string | null): boolean;
  /**
   * `host` is the request's Host header: a same-origin browser request passes when that host is
   * itself allowed (a rebound name is same-origin with itself, so it must not pass on that alone).
   */
  originAllowed(origin: string | null, host: string | null): boolean;
  /** Why the request is refused (the 403 message, naming what to configure), or undefined to serve it. */
  refusal(origin: string | null, host: string | null): string | undefined;
}

function matcher(list: string[] | undefined, normalise: (value: string) => string | undefined) {
  if (list === undefined) {
    return (value: string) => {
      const hostname = normalise(value);
      return hostname !== undefined && LOOPBACK_HOSTNAMES.has(hostname);
    };
  }
  if (list.includes("*")) return () => true;
  const exact = new Set(list.map((entry) => entry.toLowerCase()));
  return (value: string) => {
    const lower = value.toLowerCase();
    if (exact.has(lower)) return true;
    const hostname = normalise(lower);
    return hostname !== undefined && exact.has(hostname);
  };
}

function originHostname(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.hostname.startsWith("[") ? url.hostname : url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** A header value as the 403 message may quote it: printable ASCII only, and short. */
function reflect(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]|'/g, "?");
  return printable.length > MAX_REFLECTED_LENGTH ? `${printable.slice(0, MAX_REFLECTED_LENGTH)}...` : printable;
}

export function createOriginGuard(
  allowedHosts: string[] | undefined,
  allowedOrigins: string[] | undefined,
): OriginGuard {
  const hostMatches = matcher(allowedHosts, (host) => hostnameOf(host.toLowerCase()));
  const originMatches = matcher(allowedOrigins, originHostname);
  // A request with no Host header cannot be a browser rebinding attack (browsers always send it).
  const hostAllowed = (host: string | null) => host === null || hostMatches(host);
  // Non-browser clients send no Origin; browsers always do on cross-origin requests. A page served by
  // an allowed host of this server is same-origin.
  const originAllowed = (origin: string | null, host: string | null) =>
    origin === null || originMatches(origin) || (host !== null && hostMatches(host) && sameOrigin(origin, host));
  return {
    hostAllowed,
    originAllowed,
    refusal(origin, host) {
      if (!hostAllowed(host)) {
        return `Forbidden: Host '${reflect(host ?? "")}' is not allowed: add it to allowedHosts or ${AllowListEnv.hosts}`;
      }
      if (!originAllowed(origin, host)) {
        return `Forbidden: Origin '${reflect(origin ?? "")}' is not allowed: add it to allowedOrigins or ${AllowListEnv.origins}`;
      }
      return undefined;
    },
  };
}
