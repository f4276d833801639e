// The reserved `_meta` keys of the 2026 lane.
// Callers import the module itself (`import * as MetaKey from`), never through a re-export: a bundler
// then inlines the values used and drops the rest, which an object of constants would keep whole.

export const ProtocolVersion = "io.modelcontextprotocol/protocolVersion";
export const ClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
export const ClientInfo = "io.modelcontextprotocol/clientInfo";
export const LogLevel = "io.modelcontextprotocol/logLevel";
export const ServerInfo = "io.modelcontextprotocol/serverInfo";
export const SubscriptionId = "io.modelcontextprotocol/subscriptionId";
