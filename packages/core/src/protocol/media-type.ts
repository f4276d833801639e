// The media types of the Streamable HTTP transport.
// Callers import the module itself (`import * as MediaType from`), never through a re-export: a bundler
// then inlines the values used and drops the rest, which an object of constants would keep whole.

export const Json = "application/json";
export const EventStream = "text/event-stream";
