/**
 * What a platform hands a request's handler beside the request: on Workers (`fetch(request, env, ctx)`)
 * and Vercel's Edge (`(request, context)`) an object with `waitUntil`, which keeps work running after
 * the response has ended. Without it, those runtimes stop a request's pending work once its response
 * is complete: a tool whose POST stream was closed early (SEP-1699 polling) would never finish, and
 * its result would never reach the client that resumes the stream.
 *
 * Found by shape, so `export default server` needs no wrapper, and kept per request in a WeakMap, so
 * nothing outlives the request.
 */
type WaitUntil = (work: Promise<unknown>) => void;

const byRequest = new WeakMap<Request, WaitUntil>();

interface WithWaitUntil {
  waitUntil(work: Promise<unknown>): void;
}

function hasWaitUntil(value: unknown): value is WithWaitUntil {
  return typeof value === "object" && value !== null && typeof (value as WithWaitUntil).waitUntil === "function";
}

/** Remembers the `waitUntil` among a request's platform arguments, if there is one. */
export function rememberPlatform(request: Request, platform: readonly unknown[]): void {
  const context = platform.find(hasWaitUntil);
  if (context) byRequest.set(request, (work) => context.waitUntil(work));
}

/**
 * Keeps `work` (which never rejects) running past the end of the request's response, where the
 * platform would otherwise stop it; elsewhere it runs on by itself and this does nothing.
 */
export function keepAlive(request: Request | undefined, work: Promise<void>): void {
  if (request === undefined) return;
  byRequest.get(request)?.(work);
}
