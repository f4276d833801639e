import type { RequestId } from "../protocol/jsonrpc.js";

/** A JSON-RPC request (with `id`) or notification of the 2026 lane, as the body carried it. */
export interface ModernMessage {
  id?: RequestId;
  method: string;
  params: Record<string, unknown>;
}

/** An error answered before any handler runs, with the HTTP status the 2026 lane gives it. */
export interface ModernRejection {
  status: number;
  code: number;
  message: string;
  data?: unknown;
  id: RequestId | null;
}
