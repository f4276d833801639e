/**
 * @mcp-edge/aws-lambda: an `McpServer` as an AWS Lambda handler.
 *
 * The event <-> Fetch translation is hono's `hono/aws-lambda` adapter (API Gateway REST v1, HTTP API
 * v2, Function URLs, ALB, VPC Lattice): this module wraps the server in a one-route Hono app, applies
 * the Lambda default mode, and keeps SSE answers as text.
 */
import type { McpServerCore } from "@mcp-edge/core";
import { Hono } from "hono";
import {
  type APIGatewayProxyResult,
  defaultIsContentTypeBinary,
  handle as honoHandle,
  streamHandle as honoStreamHandle,
  type LambdaContext,
  type LambdaEvent,
} from "hono/aws-lambda";
import { applyLambdaDefaults } from "./defaults.js";

export type { APIGatewayProxyResult, LambdaContext, LambdaEvent } from "hono/aws-lambda";

/** A buffered Lambda handler: the whole answer is returned at once as the event's result. */
export type LambdaHandler = (event: LambdaEvent, context?: LambdaContext) => Promise<APIGatewayProxyResult>;

/**
 * A handler wrapped in `awslambda.streamifyResponse`. Export it as the function's handler; only the
 * Lambda runtime calls it, with arguments that differ between the real runtime (a response stream it
 * provides) and emulators, so they are left opaque.
 */
export type StreamingLambdaHandler = (event: LambdaEvent, ...runtimeArguments: never[]) => unknown;

export interface HandleOptions {
  /**
   * Which response content types API Gateway must receive base64-encoded. Default: hono's choice
   * (anything but text, JSON and XML), except `text/event-stream`, which stays text.
   */
  isContentTypeBinary?: (contentType: string) => boolean;
}

/**
 * hono's default counts every `text/*` type it does not list as binary, `text/event-stream` included:
 * an SSE answer (a tool that reports progress) would reach API Gateway base64-encoded. It decodes it
 * again, but logs and test events would show base64, and nothing in an SSE body is binary.
 */
function defaultBinary(contentType: string): boolean {
  if (/^text\/event-stream\s*(?:;|$)/i.test(contentType)) return false;
  return defaultIsContentTypeBinary(contentType);
}

function honoApp(server: McpServerCore): Hono {
  // One route that hands the raw Request on: routing, guards and status codes are the core's.
  return new Hono().all("*", (c) => server.fetch(c.req.raw));
}

/**
 * A buffered Lambda handler for API Gateway (v1 and v2), Function URLs (BUFFERED invoke mode) and ALB.
 * SSE answers are collected whole before they are returned, so use `streamHandle` for anything that
 * streams for long (a stateful GET stream never ends and would run into the function's timeout).
 *
 * With no `stateless` option and no `sessionStore`, the server is stateless: Lambda instances share
 * no memory, so an in-memory session would be lost on the next instance.
 *
 * @example export const handler = handle(server);
 */
export function handle(server: McpServerCore, options: HandleOptions = {}): LambdaHandler {
  applyLambdaDefaults(server);
  const handler = honoHandle(honoApp(server), { isContentTypeBinary: options.isContentTypeBinary ?? defaultBinary });
  return (event, context) => handler(event, context);
}

/**
 * A response-streaming Lambda handler (`awslambda.streamifyResponse`, Function URL invoke mode
 * RESPONSE_STREAM): SSE events (progress, logs, notifications) reach the client as they are written.
 * Must be called where the Lambda runtime's global `awslambda` exists, i.e. at module load of the
 * function's handler file, as in the example.
 *
 * @example export const handler = streamHandle(server);
 */
export function streamHandle(server: McpServerCore): StreamingLambdaHandler {
  if (typeof (globalThis as { awslambda?: unknown }).awslambda !== "object") {
    throw new Error(
      "streamHandle needs the Lambda runtime's global `awslambda` (Node.js managed runtime); outside Lambda use handle()",
    );
  }
  applyLambdaDefaults(server);
  return honoStreamHandle(honoApp(server));
}
