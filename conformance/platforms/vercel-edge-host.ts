// Stands in for Next.js's Edge adapter (the one piece that cannot run here without a Vercel login): a
// FetchEvent listener that calls the route module's export for the request's method, 405 for a method the
// route does not export, which is how an Edge function runs a route module.
import * as route from "./vercel-route.js";

interface FetchEventLike {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

const methods: Record<string, ((request: Request) => Promise<Response>) | undefined> = {
  GET: route.GET,
  POST: route.POST,
  DELETE: route.DELETE,
  OPTIONS: route.OPTIONS,
};

(
  globalThis as unknown as { addEventListener(type: "fetch", listener: (event: FetchEventLike) => void): void }
).addEventListener("fetch", (event) => {
  const handler = methods[event.request.method];
  event.respondWith(handler ? handler(event.request) : new Response(null, { status: 405 }));
});
