import { StoreUnavailableError } from "@mcp-edge/core";
import { ReplyError } from "ioredis";
import { ClientClosedError, ClientOfflineError, ErrorReply, SocketClosedUnexpectedlyError } from "redis";
import { describe, expect, it } from "vitest";
import { toStoreError } from "../src/index.js";

// ioredis types ReplyError loosely; it is a constructor taking the reply's message.
const IoReplyError = ReplyError as new (message: string) => Error;

describe("toStoreError", () => {
  it("turns connection failures of either client into StoreUnavailableError, keeping the cause", () => {
    for (const error of [
      new ClientClosedError(),
      new ClientOfflineError(),
      new SocketClosedUnexpectedlyError(),
      new Error("Connection is closed."),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      "a string thrown by something",
    ]) {
      const mapped = toStoreError(error);
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect(mapped.cause).toBe(error);
    }
  });

  it("treats replies meaning 'cannot serve right now' as unavailability", () => {
    for (const message of [
      "LOADING Redis is loading the dataset in memory",
      "READONLY You can't write against a read only replica.",
      "OOM command not allowed when used memory > 'maxmemory'.",
    ]) {
      expect(toStoreError(new ErrorReply(message))).toBeInstanceOf(StoreUnavailableError);
      expect(toStoreError(new IoReplyError(message))).toBeInstanceOf(StoreUnavailableError);
    }
  });

  it("rethrows other error replies and programming errors unchanged: they are bugs, not outages", () => {
    for (const error of [
      new ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value"),
      new IoReplyError("ERR syntax error"),
      new TypeError("x is not a function"),
    ]) {
      expect(toStoreError(error)).toBe(error);
    }
  });

  it("passes a StoreUnavailableError through as it is", () => {
    const error = new StoreUnavailableError();
    expect(toStoreError(error)).toBe(error);
  });
});
