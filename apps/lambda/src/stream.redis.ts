// AWS Lambda (streaming Function URL) with sessions in Redis (e.g. ElastiCache in the function's VPC).
import { streamHandle } from "@mcp-edge/aws-lambda";
import { McpServer } from "@mcp-edge/core";
import { RedisEventStore, RedisSessionStore, RedisStreamManager } from "@mcp-edge/redis";
import { createClient } from "redis";
import { defineTools, SERVER_INFO } from "./tools.js";

const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
const pubSubClient = client.duplicate();
await Promise.all([client.connect(), pubSubClient.connect()]);

export const handler = streamHandle(
  defineTools(
    new McpServer({
      ...SERVER_INFO,
      sessionStore: new RedisSessionStore({ client }),
      streamManager: new RedisStreamManager({ client, pubSubClient }),
      eventStore: new RedisEventStore({ client }),
      maxStreamDurationMs: 800_000,
    }),
  ),
);
