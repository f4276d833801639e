/** A route module's exports as Next.js reads them: one handler per HTTP method. */
export type RouteModule = Partial<
  Record<"GET" | "POST" | "DELETE" | "OPTIONS", (request: Request) => Promise<Response>>
>;

interface FetchEventLike {
  request: Request;
  respondWith(response: Response | Promise<Response>): void;
}

/**
 * Stands in for Next.js's Edge adapter (the one piece that cannot run here without a Vercel login): a
 * FetchEvent listener that calls the route module's export for the request's method, 405 for a method the
 * route does not export, which is how an Edge function runs a route module. For bundles run by Vercel's
 * edge-runtime.
 */
export function serveRouteOnEdge(route: RouteModule): void {
  const scope = globalThis as unknown as {
    addEventListener(type: "fetch", listener: (event: FetchEventLike) => void): void;
  };
  scope.addEventListener("fetch", (event) => {
    const handler = route[event.request.method as keyof RouteModule];
    event.respondWith(handler ? handler(event.request) : new Response(null, { status: 405 }));
  });
}
