/**
 * `GET /api/v1/sampling`: the published sampling report — the rules, every
 * released model's weight with its reason, its expected and actual share of
 * battles, and the dated history of weight changes — served like the
 * leaderboards (worker/catalog/sampling-report.ts writes it).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { samplingReportSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { cachedJsonResponses, publishedText, serveCachedJson } from "../http/cached-json";
import { route } from "../http/openapi-route";
import { KV_SAMPLING_REPORT } from "../leaderboard/kv-keys";

const NOTHING_PUBLISHED = "no sampling report has been published yet";

export function registerSamplingRoute(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/sampling",
      tags: ["Transparency"],
      summary: "Sampling weights and their history",
      description:
        "How often each model is drawn into anonymous battles and why: the published rules (new-model boost until N counted votes, equal otherwise, zero during an outage), each model's weight and expected share, its share of the last 30 days' battles, previews in aggregate, and every weight change with its date and reason.",
      responses: cachedJsonResponses(samplingReportSchema, "The sampling report", { 404: NOTHING_PUBLISHED }),
    }),
    (c) => serveCachedJson(c, { cacheKey: "/api/v1/sampling", load: () => publishedText(c.env.LEADERBOARD, KV_SAMPLING_REPORT, NOTHING_PUBLISHED) }),
  );
}
