export { startUpstashBridge, type UpstashBridge, type UpstashBridgeOptions } from "./bridge.js";
export type { Encoding, JsonValue } from "./encoding.js";
export { encodeReply } from "./encoding.js";
