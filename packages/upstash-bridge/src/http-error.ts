/** A request the bridge answers with a status and an `{ error }` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Redis could not be reached (as opposed to Redis answering with an error). */
export function unavailable(error: unknown): HttpError {
  const detail = error instanceof Error ? error.message : String(error);
  return new HttpError(503, `redis-server unavailable: ${detail}`);
}
