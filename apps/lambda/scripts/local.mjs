// Runs the function on your machine with no AWS tooling: bundles the handler the way `sam build`
// does, then serves it on loopback, turning each HTTP request into a Function URL event (payload 2.0)
// that lambda-local hands to the handler.
//   node scripts/local.mjs            src/handler.ts, answers buffered (the API Gateway function)
//   node scripts/local.mjs --stream   src/stream.ts, answers streamed (the RESPONSE_STREAM Function URL)
// http://127.0.0.1:3000/mcp by default; PORT and HOST change it.
import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import lambdaLocal from "lambda-local";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, ".local");
mkdirSync(outDir, { recursive: true });
const streaming = process.argv.includes("--stream");
const handlerPath = join(outDir, streaming ? "stream.mjs" : "handler.mjs");
await build({
  entryPoints: [join(root, "src", streaming ? "stream.ts" : "handler.ts")],
  outfile: handlerPath,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: "warning",
});

function toEvent(request, body) {
  const url = new URL(request.url ?? "/", "http://localhost");
  const headers = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: headers.host ?? "",
      domainPrefix: (headers.host ?? "").split(".")[0],
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body.length > 0 ? body.toString("base64") : undefined,
    isBase64Encoded: body.length > 0,
  };
}

async function invoke(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return lambdaLocal.execute({
    event: toEvent(request, Buffer.concat(chunks)),
    lambdaPath: handlerPath,
    lambdaHandler: "handler",
    esm: true,
    verboseLevel: 0,
    timeoutMs: 30_000,
  });
}

const server = createServer((request, response) => {
  invoke(request).then(
    (result) => {
      const headers = { ...result.headers };
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values;
      if (result.cookies?.length) headers["set-cookie"] = result.cookies;
      response.writeHead(result.statusCode ?? 200, headers);
      // A streaming handler's body is a stream: forward it as it is written (SSE events one by one).
      if (typeof result.body?.pipe === "function") {
        response.once("close", () => result.body.destroy());
        result.body.pipe(response);
        return;
      }
      response.end(
        result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8"),
      );
    },
    (error) => {
      response.writeHead(502, { "content-type": "text/plain" });
      response.end(`the invocation failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
});
const host = process.env.HOST ?? "127.0.0.1";
server.listen(Number(process.env.PORT ?? 3000), host, () => {
  const { port } = server.address();
  console.log(`MCP server (${streaming ? "streaming" : "buffered"} Lambda handler) at http://${host}:${port}/mcp`);
});
