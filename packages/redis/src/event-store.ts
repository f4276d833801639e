import { type EventStoreBounds, LogEventStore } from "@mcp-edge/redis-kit";
import { redisEventLog } from "./event-log.js";
import type { RedisStoreOptions } from "./options.js";
import { toRedisConnection } from "./to-connection.js";

export interface RedisEventStoreOptions extends RedisStoreOptions, EventStoreBounds {}

/**
 * Resumable streams as capped Redis streams (`<prefix>events:<streamId>`), and the streams that
 * receive broadcasts in `<prefix>listeners` / `<prefix>listener:<streamId>`: the layout and
 * round trips of `LogEventStore` in `@mcp-edge/redis-kit`. Appending and replaying cost one round
 * trip each.
 */
export class RedisEventStore extends LogEventStore {
  constructor(options: RedisEventStoreOptions) {
    super(redisEventLog(toRedisConnection(options.client, options)), options);
  }
}
