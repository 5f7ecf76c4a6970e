/**
 * The public read API: leaderboards, the model catalogue, the audit of
 * excluded votes, the OpenAPI
 * document and its reference page. Only these reads are open to other
 * origins (dashboards, notebooks, mirrors); battles and votes stay
 * same-origin, so another site cannot spend a visitor's session on them.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import type { AppEnv } from "../app-env";
import { registerAuditRoute } from "./audit";
import { registerDocsRoutes } from "./docs";
import { registerHealthRoute } from "./health";
import { registerLeaderboardRoutes } from "./leaderboard";
import { registerModelRoutes } from "./models";
import { OPENAPI_PATH, registerOpenApiRoute } from "./openapi";
import { registerSamplingRoute } from "./sampling";
import { registerTransparencyRoutes } from "./transparency";
import { registerVoteLogRoute } from "./vote-log";
import { registerDatasetRoutes } from "./datasets";

/** Paths answered to any origin. */
export const CROSS_ORIGIN_PATHS = ["/api/v1/leaderboard", "/api/v1/leaderboard/*", "/api/v1/models", "/api/v1/models/*", "/api/v1/audit", "/api/v1/sampling", "/api/v1/register", "/api/v1/lifecycle", "/api/v1/votes/log", "/api/v1/datasets", "/api/v1/datasets/*", OPENAPI_PATH];

/** Registers the CORS policy first (it must wrap the handlers), then the routes. */
export function registerPublicRoutes(app: OpenAPIHono<AppEnv>): void {
  const readOnlyCors = cors({
    origin: "*",
    allowMethods: ["GET", "HEAD", "OPTIONS"],
    allowHeaders: ["If-None-Match"],
    exposeHeaders: ["ETag", "X-Request-Id"],
    maxAge: 86_400,
  });
  for (const path of CROSS_ORIGIN_PATHS) app.use(path, readOnlyCors);
  registerLeaderboardRoutes(app);
  registerModelRoutes(app);
  registerAuditRoute(app);
  registerSamplingRoute(app);
  registerTransparencyRoutes(app);
  registerVoteLogRoute(app);
  registerDatasetRoutes(app);
  registerHealthRoute(app);
  registerOpenApiRoute(app);
  registerDocsRoutes(app);
}
