import { keyLayout, type SessionKeys } from "@mcp-edge/redis-kit";
import type { ObjectClient } from "./call.js";
import { Op } from "./routing.js";

/**
 * The session store's four key operations, each one request to the object named by the session id
 * (the kit's keys are `<prefix>session:<id>`; the object is found from the id alone).
 */
export function objectSessionKeys(client: ObjectClient, prefix?: string): SessionKeys {
  const sessionPrefix = keyLayout(prefix).session;
  const idOf = (key: string) => key.slice(sessionPrefix.length);
  return {
    getEx: (key, ttl) => client.call<string | null>(idOf(key), Op.getEx, { ttl }),
    set: (key, value, ttl) => client.call<void>(idOf(key), Op.set, { value, ttl }),
    pExpire: (key, ttl) => client.call<boolean>(idOf(key), Op.expire, { ttl }),
    // The object is the session: deleting it deletes all it keeps (its logs and buffers too), and its alarm.
    del: (key) => client.call<void>(idOf(key), Op.del, {}),
  };
}
