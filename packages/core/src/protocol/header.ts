// HTTP header names, lower case as the Fetch API's Headers gives them.
// Callers import the module itself (`import * as Header from`), never through a re-export: a bundler
// then inlines the values used and drops the rest, which an object of constants would keep whole.

export const SessionId = "mcp-session-id";
export const ProtocolVersion = "mcp-protocol-version";
export const LastEventId = "last-event-id";
export const Accept = "accept";
export const ContentType = "content-type";
export const Origin = "origin";
export const Host = "host";
export const Allow = "allow";
/** 2026 lane: the JSON-RPC method, repeated for intermediaries. */
export const McpMethod = "mcp-method";
/** 2026 lane: the tool or prompt name, or the resource URI, repeated for intermediaries. */
export const McpName = "mcp-name";
