/**
 * lambda-local-http: a small node:http server on 127.0.0.1 that turns each HTTP request into the
 * event a Lambda Function URL sends (payload format 2.0), runs the bundled handler file through
 * lambda-local's `execute()` (the Node.js runtime's loading and invocation, emulated), and writes the
 * handler's result back. It stands in for the Function URL front door, which cannot run here; lambda-local's
 * own `-W` server binds every interface and rewrites requests, so it is not used.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import lambdaLocal from "lambda-local";

interface FunctionUrlResult {
  statusCode?: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

export interface LambdaLocalHttp {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The Function URL event for one request, headers as Lambda delivers them (lower-case, joined by commas). */
function functionUrlEvent(request: IncomingMessage, body: Buffer): object {
  const url = new URL(request.url ?? "/", "http://lambda-local-http");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const host = headers.host ?? "";
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "anonymous",
      apiId: "lambda-local-http",
      domainName: host,
      domainPrefix: host.split(".")[0] ?? host,
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: crypto.randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    // Base64 keeps any body byte-exact; Function URLs do the same for bodies they do not treat as text.
    body: body.length > 0 ? body.toString("base64") : undefined,
    isBase64Encoded: body.length > 0,
  };
}

/** Serves `lambdaHandler` of the ES module handler file at `lambdaPath` on a free loopback port. */
export async function startLambdaLocalHttp(lambdaPath: string, lambdaHandler = "handler"): Promise<LambdaLocalHttp> {
  const server: Server = createServer((request, response) => {
    readBody(request)
      .then(async (body) => {
        const result = (await lambdaLocal.execute({
          event: functionUrlEvent(request, body),
          lambdaPath,
          lambdaHandler,
          esm: true,
          verboseLevel: 0,
          timeoutMs: 60_000,
        })) as FunctionUrlResult;
        const headers: Record<string, string | string[]> = { ...result.headers };
        for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values;
        if (result.cookies?.length) headers["set-cookie"] = result.cookies;
        response.writeHead(result.statusCode ?? 200, headers);
        response.end(
          result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8"),
        );
      })
      .catch((error: unknown) => {
        response.writeHead(502, { "content-type": "text/plain" });
        response.end(
          `lambda-local-http: the invocation failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
