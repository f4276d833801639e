import {
  type FuzzTarget,
  installFuzzTools,
  type ServerMode,
  SUBJECT_HEADER,
  subjectFromHeader,
} from "@mcp-edge/test-support/fuzz";
import { McpServer, type McpServerOptions } from "../../src/index.js";

/** Small enough that "huge" bodies cross it cheaply; the default (4 MiB) is the same code path. */
export const FUZZ_MAX_BODY_BYTES = 64 * 1024;
/** The documented default, which the fuzz servers keep. */
export const FUZZ_MAX_JSON_DEPTH = 100;

/** The fuzz server: every fuzz tool, sessions bound to the principal in the subject header. */
export function fuzzServer(mode: ServerMode, options: Partial<McpServerOptions> = {}): McpServer {
  const server = new McpServer({
    name: "fuzz",
    version: "1.0.0",
    stateless: mode === "stateless" ? true : mode === "stateful" ? false : undefined,
    maxBodyBytes: FUZZ_MAX_BODY_BYTES,
    authSubject: subjectFromHeader,
    // What a handler reports is expected here (tools fail on purpose); keep the test output readable.
    onError: () => {},
    // A resumed request stream with no live request behind it (a made-up id) ends after this silence.
    requestHeartbeatIntervalMs: 50,
    requestHeartbeatTimeoutMs: 500,
    ...options,
  });
  installFuzzTools(server);
  return server;
}

/** The server's Fetch handler driven directly: no port, no platform. */
export function memoryTarget(mode: ServerMode, server: McpServer): FuzzTarget {
  return {
    mode,
    url: "http://localhost/mcp",
    fetch: (request) => server.fetch(request),
    maxBodyBytes: FUZZ_MAX_BODY_BYTES,
    maxJsonDepth: FUZZ_MAX_JSON_DEPTH,
    subjectHeader: SUBJECT_HEADER,
  };
}
