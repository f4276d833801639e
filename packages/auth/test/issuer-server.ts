// A loopback authorization server for tests: JWKS (with fetch counting and rotation) and RFC 8414
// metadata. Real HTTP on 127.0.0.1, so jose's remote key set and the SDK client fetch for real.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK } from "jose";

export interface IssuerServer {
  url: string;
  jwksUrl: string;
  /** JWKS requests answered so far. */
  readonly jwksFetches: number;
  /** What the JWKS endpoint serves from now on: keys, a status, or a raw body. */
  serve(keys: JWK[]): void;
  fail(status: number): void;
  serveRaw(body: string): void;
  close(): Promise<void>;
}

export async function startIssuer(): Promise<IssuerServer> {
  let keys: JWK[] = [];
  let failure: number | undefined;
  let raw: string | undefined;
  let fetches = 0;
  let base = "";
  const server: Server = createServer((request, response) => {
    if (request.url === "/jwks.json") {
      fetches++;
      if (failure !== undefined) {
        response.writeHead(failure).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(raw ?? JSON.stringify({ keys }));
      return;
    }
    if (request.url === "/.well-known/oauth-authorization-server") {
      response.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" }).end(
        JSON.stringify({
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks.json`,
          response_types_supported: ["code"],
          grant_types_supported: ["authorization_code", "refresh_token"],
          code_challenge_methods_supported: ["S256"],
          scopes_supported: ["mcp", "read", "write"],
        }),
      );
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    jwksUrl: `${base}/jwks.json`,
    get jwksFetches() {
      return fetches;
    },
    serve(next) {
      keys = next;
      failure = undefined;
      raw = undefined;
    },
    fail(status) {
      failure = status;
    },
    serveRaw(body) {
      raw = body;
      failure = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
