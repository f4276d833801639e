// @mcp-edge/aws-lambda through lambda-local: a bundled ES module handler file, invoked with the events
// API Gateway and Function URLs send, including a response-streaming invocation read chunk by chunk.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  MCP_POST_HEADERS,
  PROTOCOL_VERSION,
  rpcBody,
  sseMessages,
  type WireMessage,
} from "@mcp-edge/test-support/wire";
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import { build } from "esbuild";
import lambdaLocal from "lambda-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const DOMAIN = "fn123.lambda-url.eu-west-1.on.aws";

let dir: string | undefined;
let handlerPath = "";
let envHandlerPath = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mcp-edge-lambda-"));
  handlerPath = join(dir, "handler.mjs");
  envHandlerPath = join(dir, "env-handler.mjs");
  // As a user deploys it: one ES module with the core, hono and this package inside; Node built-ins external.
  for (const [fixture, outfile] of [
    ["lambda-app.ts", handlerPath],
    ["lambda-env-app.ts", envHandlerPath],
  ] as const) {
    await build({
      entryPoints: [join(here, "fixtures", fixture)],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "error",
    });
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface BufferedResult {
  statusCode: number;
  body: string;
  isBase64Encoded: boolean;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}

interface StreamedResult {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable;
}

/** One invocation of an export of the bundled handler file, as the Lambda runtime makes it. */
function invoke<T>(exportName: string, event: object): Promise<T> {
  return lambdaLocal.execute({
    event,
    lambdaPath: handlerPath,
    lambdaHandler: exportName,
    esm: true,
    verboseLevel: 0,
    // The emulated function timeout; it stops counting once a streamed answer's headers are out.
    timeoutMs: 30_000,
  }) as Promise<T>;
}

/**
 * The same for the handler file configured through the function's environment. lambda-local sets the
 * variables on process.env before the module loads (as the runtime does) and removes them afterwards.
 */
const FUNCTION_ENV = { MCP_ALLOWED_HOSTS: DOMAIN, MCP_ALLOWED_ORIGINS: "https://app.example.com" };
function invokeWithEnv<T>(exportName: string, event: object): Promise<T> {
  return lambdaLocal.execute({
    event,
    lambdaPath: envHandlerPath,
    lambdaHandler: exportName,
    esm: true,
    verboseLevel: 0,
    timeoutMs: 30_000,
    environment: FUNCTION_ENV,
    envdestroy: true,
  }) as Promise<T>;
}

const jsonHeaders = { host: DOMAIN, ...MCP_POST_HEADERS };

const initializeBody = rpcBody(1, "initialize", {
  protocolVersion: PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: "lambda-test", version: "1" },
});

/** An HTTP API (API Gateway v2) event; a Function URL event has the same shape with its own domain. */
function httpApiEvent(
  method: string,
  body: string | null,
  headers: Record<string, string> = jsonHeaders,
  domainName = DOMAIN,
): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: "/mcp",
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "fn123",
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: { method, path: "/mcp", protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "lambda-test" },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: "23/Nov/2026:21:00:00 +0000",
      timeEpoch: 1_795_467_600_000,
    },
    body: body ?? undefined,
    isBase64Encoded: false,
  };
}

function functionUrlEvent(body: string, base64 = false): LambdaFunctionURLEvent {
  const event = httpApiEvent("POST", base64 ? Buffer.from(body).toString("base64") : body);
  return { ...event, isBase64Encoded: base64 };
}

/** A REST API (API Gateway v1) proxy event, which carries every header twice (single and multi-value). */
function restApiEvent(body: string): APIGatewayProxyEvent {
  return {
    resource: "/mcp",
    path: "/mcp",
    httpMethod: "POST",
    headers: jsonHeaders,
    multiValueHeaders: Object.fromEntries(Object.entries(jsonHeaders).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "rest123",
      authorizer: undefined,
      domainName: DOMAIN,
      domainPrefix: "fn123",
      httpMethod: "POST",
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "203.0.113.7",
        user: null,
        userAgent: "lambda-test",
        userArn: null,
      },
      path: "/prod/mcp",
      protocol: "HTTP/1.1",
      requestId: "req-2",
      requestTimeEpoch: 1_795_467_600_000,
      resourceId: "abc",
      resourcePath: "/mcp",
      stage: "prod",
    },
    body,
    isBase64Encoded: false,
  };
}

function header(result: BufferedResult, name: string): string | undefined {
  return result.headers?.[name] ?? result.multiValueHeaders?.[name]?.[0];
}

describe("handle(server): buffered API Gateway and Function URL invocations", () => {
  it("answers initialize and tools/call from HTTP API (v2) events, statelessly by default", async () => {
    const init = await invoke<BufferedResult>("handler", httpApiEvent("POST", initializeBody));
    expect(init.statusCode).toBe(200);
    expect(init.isBase64Encoded).toBe(false);
    const initialized = JSON.parse(init.body) as WireMessage;
    expect(initialized.result?.serverInfo?.name).toBe("lambda-fixture");
    expect(initialized.result?.protocolVersion).toBe(PROTOCOL_VERSION);
    // Stateless: no session is minted even though the client accepts SSE (auto mode would mint one).
    expect(header(init, "mcp-session-id")).toBeUndefined();

    const call = await invoke<BufferedResult>(
      "handler",
      httpApiEvent("POST", rpcBody(2, "tools/call", { name: "add", arguments: { a: 2, b: 3 } })),
    );
    expect(call.statusCode).toBe(200);
    expect(header(call, "content-type")).toMatch(/^application\/json/);
    expect((JSON.parse(call.body) as WireMessage).result?.content).toEqual([{ type: "text", text: "5" }]);
  });

  it("answers a REST API (v1) event with multi-value headers", async () => {
    const result = await invoke<BufferedResult>(
      "handler",
      restApiEvent(rpcBody(3, "tools/call", { name: "add", arguments: { a: 40, b: 2 } })),
    );
    expect(result.statusCode).toBe(200);
    expect(result.multiValueHeaders?.["content-type"]?.[0]).toMatch(/^application\/json/);
    expect((JSON.parse(result.body) as WireMessage).result?.content?.[0]?.text).toBe("42");
  });

  it("decodes a base64-encoded Function URL body", async () => {
    const result = await invoke<BufferedResult>(
      "handler",
      functionUrlEvent(rpcBody(4, "tools/call", { name: "add", arguments: { a: 1.5, b: 1 } }), true),
    );
    expect(result.statusCode).toBe(200);
    expect((JSON.parse(result.body) as WireMessage).result?.content?.[0]?.text).toBe("2.5");
  });

  it("returns an SSE answer (progress, then the result) as text, not base64", async () => {
    const result = await invoke<BufferedResult>(
      "handler",
      httpApiEvent("POST", rpcBody(5, "tools/call", { name: "count", arguments: {}, _meta: { progressToken: "p5" } })),
    );
    expect(result.statusCode).toBe(200);
    expect(header(result, "content-type")).toMatch(/^text\/event-stream/);
    expect(result.isBase64Encoded).toBe(false);
    const messages = sseMessages<WireMessage>(result.body);
    expect(messages.filter((m) => m.method === "notifications/progress").map((m) => m.params?.progress)).toEqual([
      1, 2,
    ]);
    expect(messages.find((m) => m.id === 5)?.result?.content?.[0]?.text).toBe("counted");
  });

  it("answers GET with 405 by default: there is no session stream without sessions", async () => {
    const result = await invoke<BufferedResult>(
      "handler",
      httpApiEvent("GET", null, { host: DOMAIN, accept: "text/event-stream" }),
    );
    expect(result.statusCode).toBe(405);
    // A sessionful server would allow GET and DELETE too.
    expect(header(result, "allow")).toBe("POST");
  });

  it("keeps an explicit `stateless: false`: initialize mints a session", async () => {
    const result = await invoke<BufferedResult>("statefulHandler", httpApiEvent("POST", initializeBody));
    expect(result.statusCode).toBe(200);
    expect(header(result, "mcp-session-id")).toMatch(/^[\w-]{16,}$/);
    expect((JSON.parse(result.body) as WireMessage).result?.serverInfo?.name).toBe("lambda-stateful");
  });
});

interface ErrorReply {
  error?: { code: number; message: string };
}

function rebindingHeaders(host: string): Record<string, string> {
  return { ...jsonHeaders, host, origin: `http://${host}` };
}

describe("DNS-rebinding protection on the Lambda entry", () => {
  it("refuses a rebound host with the same Origin by default, saying what to set", async () => {
    const result = await invoke<BufferedResult>(
      "unlisted",
      httpApiEvent("POST", initializeBody, rebindingHeaders("evil.example")),
    );
    expect(result.statusCode).toBe(403);
    expect((JSON.parse(result.body) as ErrorReply).error).toEqual({
      code: -32000,
      message: "Forbidden: Host 'evil.example' is not allowed: add it to allowedHosts or MCP_ALLOWED_HOSTS",
    });
  });

  it("with nothing configured, serves loopback names only: not even the function's own", async () => {
    const local = await invoke<BufferedResult>(
      "unlisted",
      httpApiEvent("POST", initializeBody, rebindingHeaders("127.0.0.1:3000")),
    );
    expect(local.statusCode).toBe(200);
    const publicName = await invoke<BufferedResult>("unlisted", httpApiEvent("POST", initializeBody));
    expect(publicName.statusCode).toBe(403);
    expect((JSON.parse(publicName.body) as ErrorReply).error?.message).toContain(`Host '${DOMAIN}'`);
  });

  it("serves the host listed in allowedHosts, and still refuses others and cross-origin browsers", async () => {
    const sameOrigin = await invoke<BufferedResult>(
      "handler",
      httpApiEvent("POST", initializeBody, { ...jsonHeaders, origin: `https://${DOMAIN}` }),
    );
    expect(sameOrigin.statusCode).toBe(200);
    const rebound = await invoke<BufferedResult>(
      "handler",
      httpApiEvent("POST", initializeBody, rebindingHeaders("evil.example")),
    );
    expect(rebound.statusCode).toBe(403);
    const crossOrigin = await invoke<BufferedResult>(
      "handler",
      httpApiEvent("POST", initializeBody, { ...jsonHeaders, origin: "https://evil.example.com" }),
    );
    expect(crossOrigin.statusCode).toBe(403);
    expect((JSON.parse(crossOrigin.body) as ErrorReply).error?.message).toBe(
      "Forbidden: Origin 'https://evil.example.com' is not allowed: add it to allowedOrigins or MCP_ALLOWED_ORIGINS",
    );
  });

  it("honours MCP_ALLOWED_HOSTS and MCP_ALLOWED_ORIGINS from the function's environment", async () => {
    const listed = await invokeWithEnv<BufferedResult>("handler", httpApiEvent("POST", initializeBody));
    expect(listed.statusCode).toBe(200);
    expect((JSON.parse(listed.body) as WireMessage).result?.serverInfo?.name).toBe("lambda-env");
    const browser = await invokeWithEnv<BufferedResult>(
      "handler",
      httpApiEvent("POST", initializeBody, { ...jsonHeaders, origin: "https://app.example.com" }),
    );
    expect(browser.statusCode).toBe(200);
    const rebound = await invokeWithEnv<BufferedResult>(
      "handler",
      httpApiEvent("POST", initializeBody, rebindingHeaders("evil.example")),
    );
    expect(rebound.statusCode).toBe(403);
  });

  it("lets an explicit allowedHosts win over MCP_ALLOWED_HOSTS", async () => {
    const envName = await invokeWithEnv<BufferedResult>("pinned", httpApiEvent("POST", initializeBody));
    expect(envName.statusCode).toBe(403);
    const optionName = await invokeWithEnv<BufferedResult>(
      "pinned",
      httpApiEvent("POST", initializeBody, { ...jsonHeaders, host: "pinned.example.com" }),
    );
    expect(optionName.statusCode).toBe(200);
  });
});

/** Reads a Node stream one chunk at a time and hands back whole SSE messages as they complete. */
class StreamedSse {
  readonly #chunks: AsyncIterator<Buffer | string>;
  #buffer = "";
  raw = "";

  constructor(body: Readable) {
    this.#chunks = body[Symbol.asyncIterator]();
  }

  /** The next complete SSE message, or undefined at the end of the stream. */
  async next(): Promise<WireMessage | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end !== -1) {
        const block = this.#buffer.slice(0, end + 2);
        this.#buffer = this.#buffer.slice(end + 2);
        const [message] = sseMessages<WireMessage>(block);
        if (message) return message;
        continue; // a comment or a priming event with no data
      }
      const chunk = await this.#chunks.next();
      if (chunk.done) return undefined;
      const text = chunk.value.toString();
      this.raw += text;
      this.#buffer += text;
    }
  }
}

describe("streamHandle(server): response streaming (awslambda.streamifyResponse)", () => {
  it("answers initialize and tools/call through the response stream", async () => {
    const init = await invoke<StreamedResult>("streaming", functionUrlEvent(initializeBody));
    expect(init.statusCode).toBe(200);
    expect(init.headers["content-type"]).toMatch(/^application\/json/);
    expect(init.headers["mcp-session-id"]).toBeUndefined();
    const initialized = JSON.parse(await text(init.body)) as WireMessage;
    expect(initialized.result?.serverInfo?.name).toBe("lambda-fixture");

    const call = await invoke<StreamedResult>(
      "streaming",
      functionUrlEvent(rpcBody(6, "tools/call", { name: "add", arguments: { a: 20, b: 22 } })),
    );
    expect(call.statusCode).toBe(200);
    expect((JSON.parse(await text(call.body)) as WireMessage).result?.content?.[0]?.text).toBe("42");
  });

  it("delivers a progress notification while the tool is still running, then the result", async () => {
    const streamed = await invoke<StreamedResult>(
      "streaming",
      functionUrlEvent(rpcBody(7, "tools/call", { name: "wait", arguments: {}, _meta: { progressToken: "p7" } })),
    );
    expect(streamed.statusCode).toBe(200);
    expect(streamed.headers["content-type"]).toMatch(/^text\/event-stream/);
    const sse = new StreamedSse(streamed.body);

    // The tool is blocked until `release` is called, so this event can only have come through a stream.
    const progress = await sse.next();
    expect(progress?.method).toBe("notifications/progress");
    expect(progress?.params).toMatchObject({ progress: 1, total: 2, message: "waiting" });

    const release = await invoke<BufferedResult>(
      "handler",
      functionUrlEvent(rpcBody(8, "tools/call", { name: "release" })),
    );
    expect((JSON.parse(release.body) as WireMessage).result?.content?.[0]?.text).toBe("released one");

    const result = await sse.next();
    expect(result?.id).toBe(7);
    expect(result?.result?.content?.[0]?.text).toBe("released");
    // The stream ends with the answer: a stateless POST stream carries nothing else.
    expect(await sse.next()).toBeUndefined();
  });
});

async function text(body: Readable): Promise<string> {
  let out = "";
  for await (const chunk of body) out += String(chunk);
  return out;
}
