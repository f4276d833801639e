// The example's Vercel route as an Edge function runs it (see serveRouteOnEdge).
import { serveRouteOnEdge } from "@mcp-edge/test-support/wire";
import * as route from "./vercel-route.js";

serveRouteOnEdge(route);
