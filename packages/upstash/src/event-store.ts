import { type EventStoreBounds, LogEventStore } from "@mcp-edge/redis-kit";
import { DEFAULT_COMMAND_TIMEOUT_MS, type UpstashStoreOptions } from "./client.js";
import { upstashEventLog } from "./event-log.js";

export interface UpstashEventStoreOptions extends UpstashStoreOptions, EventStoreBounds {}

/**
 * Resumable streams as capped Redis streams (`<prefix>events:<streamId>`), and the streams that
 * receive broadcasts in `<prefix>listeners` / `<prefix>listener:<streamId>`: the layout, event ids
 * and round trips of `LogEventStore` in `@mcp-edge/redis-kit`, shared with `@mcp-edge/redis`.
 * Appending and replaying cost one HTTP round trip each.
 */
export class UpstashEventStore extends LogEventStore {
  constructor(options: UpstashEventStoreOptions) {
    super(upstashEventLog(options.client, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS), options);
  }
}
