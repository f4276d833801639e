export { type RouteModule, serveRouteOnEdge } from "./edge-route.js";
export {
  initializeBody,
  JSON_AND_SSE,
  MCP_POST_HEADERS,
  PROTOCOL_VERSION,
  rpc,
  rpcBody,
  type WireError,
  type WireMessage,
  type WireResult,
} from "./jsonrpc.js";
export { type ByteStream, parseSseEvent, type SseEvent, SseReader, type SseReaderOptions, sseMessages } from "./sse.js";
export { ADD_TOOL, addNumbers, waitAndRelease } from "./tools.js";
