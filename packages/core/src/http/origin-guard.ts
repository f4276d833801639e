/**
 * DNS-rebinding protection: with no allow-list only loopback names pass, on any port. Deployments
 * behind a public name list their hosts/origins (or "*" to opt out, e.g. behind a trusted proxy).
 */
const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

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
  /** `host` is the request's Host header: a same-origin browser request is always allowed. */
  originAllowed(origin: string | null, host: string | null): boolean;
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

function sameOrigin(origin: string, host: string | null): boolean {
  if (host === null) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

export function createOriginGuard(
  allowedHosts: string[] | undefined,
  allowedOrigins: string[] | undefined,
): OriginGuard {
  const hostMatches = matcher(allowedHosts, (host) => hostnameOf(host.toLowerCase()));
  const originMatches = matcher(allowedOrigins, originHostname);
  return {
    // A request with no Host header cannot be a browser rebinding attack (browsers always send it).
    hostAllowed: (host) => host === null || hostMatches(host),
    // Non-browser clients send no Origin; browsers always do on cross-origin requests. A page served
    // by this very host is same-origin; against DNS rebinding it is the Host check that protects.
    originAllowed: (origin, host) => origin === null || originMatches(origin) || sameOrigin(origin, host),
  };
}
