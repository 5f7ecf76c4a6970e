/**
 * `GET /api/v1/audit[?category=…]`: the public audit of excluded votes, as
 * the ranking cron published it (worker/audit/publish.ts), served through
 * the same publication-keyed cache and open CORS as the leaderboards.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { ArenaError } from "../../src/errors";
import type { AuditReport } from "../../src/wire";
import { auditReportSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { cachedJsonResponses, publishedText, serveCachedJson } from "../http/cached-json";
import { route } from "../http/openapi-route";
import { KV_AUDIT } from "../leaderboard/kv-keys";

const NOTHING_PUBLISHED = "no audit has been published yet";

const auditQuery = z.object({
  category: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Only this category (an id from `/api/v1/leaderboard/categories`); all when absent.", example: "overall" }),
});

/** The stored document, or one category of it (404 naming the category when it has no votes). */
async function loadAudit(kv: KVNamespace, category: string | undefined): Promise<string> {
  const text = await publishedText(kv, KV_AUDIT, NOTHING_PUBLISHED);
  if (category === undefined) return text;
  const report = JSON.parse(text) as AuditReport;
  const only = report.categories.filter((c) => c.category === category);
  if (only.length === 0) throw new ArenaError("not_found", `no audited votes in category "${category}"`);
  return JSON.stringify({ ...report, categories: only });
}

export function registerAuditRoute(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/audit",
      tags: ["Audit"],
      summary: "The audit of excluded votes",
      description:
        "For every category, lab and model: votes stored, counted, and excluded per reason (the anomalous-voter flags as of the last cron run), with the anomaly test's threshold and counts.",
      request: { query: auditQuery },
      responses: cachedJsonResponses(auditReportSchema, "The audit", { 400: "Invalid category", 404: "Nothing audited yet, or no votes in this category" }),
    }),
    (c) => {
      const { category } = c.req.valid("query");
      return serveCachedJson(c, {
        cacheKey: category === undefined ? "/api/v1/audit" : `/api/v1/audit?${new URLSearchParams({ category })}`,
        load: () => loadAudit(c.env.LEADERBOARD, category),
      });
    },
  );
}
