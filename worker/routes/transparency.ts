/**
 * The private-variant register and the lifecycle log, as the cron published
 * them (worker/labs/transparency.ts), served like the leaderboards:
 *
 * - `GET /api/v1/register` → VariantRegister
 * - `GET /api/v1/lifecycle` → LifecycleLog
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { lifecycleLogSchema, variantRegisterSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { cachedJsonResponses, publishedText, serveCachedJson } from "../http/cached-json";
import { route } from "../http/openapi-route";
import { KV_LIFECYCLE, KV_REGISTER } from "../leaderboard/kv-keys";

const NOTHING_PUBLISHED = "nothing has been published yet; the ranking cron writes this";

export function registerTransparencyRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/register",
      tags: ["Transparency"],
      summary: "The private-variant register",
      description:
        "Every preview a lab tested under a codename, with its dates, votes and final score, made public when that lab releases or withdraws a model: no lab can test variants in private and publish only the best one.",
      responses: cachedJsonResponses(variantRegisterSchema, "The register", { 404: NOTHING_PUBLISHED }),
    }),
    (c) => serveCachedJson(c, { cacheKey: "/api/v1/register", load: () => publishedText(c.env.LEADERBOARD, KV_REGISTER, NOTHING_PUBLISHED) }),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/lifecycle",
      tags: ["Transparency"],
      summary: "Dated releases, withdrawals, retirements and sampling-weight changes",
      responses: cachedJsonResponses(lifecycleLogSchema, "The lifecycle log", { 404: NOTHING_PUBLISHED }),
    }),
    (c) => serveCachedJson(c, { cacheKey: "/api/v1/lifecycle", load: () => publishedText(c.env.LEADERBOARD, KV_LIFECYCLE, NOTHING_PUBLISHED) }),
  );
}
