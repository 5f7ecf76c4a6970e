/**
 * The public model catalogue:
 *
 * - `GET /api/v1/models` → models that can be chosen by name (side-by-side
 *   and direct chats). Preview models are not listed: they can only be met
 *   anonymously until released. Read from the catalogue the ranking cron
 *   publishes to KV; D1 is read only before the first publication.
 * - `GET /api/v1/models/{id}` → a model's standings, rating history and
 *   head-to-heads, as published.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { PublicModel } from "../../src/wire";
import { modelDetailSchema, publicModelListSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { syncModelCatalog } from "../catalog/sync";
import { models } from "../db/schema";
import { cachedJsonResponses, publishedText, serveCachedJson } from "../http/cached-json";
import { route } from "../http/openapi-route";
import { arenasOf } from "../catalog/arenas";
import { KV_PUBLIC_MODELS, modelKey } from "../leaderboard/kv-keys";
import { demoModelsEnabled, isModelAvailable } from "../providers/registry";

const byName = (x: PublicModel, y: PublicModel) => x.name.localeCompare(y.name);

/** The catalogue from D1, for a fresh deployment whose cron has not run yet. */
async function modelsFromD1(env: Env): Promise<PublicModel[]> {
  await syncModelCatalog(env.DB);
  const rows = await drizzle(env.DB).select().from(models).where(eq(models.status, "active"));
  return rows
    .filter((row) => isModelAvailable(row, env))
    .map((row) => ({
      id: row.id,
      name: row.name,
      organization: row.organization,
      modality: row.modality,
      arenas: arenasOf(row),
      status: "active" as const,
      demo: row.isDemo,
      license: row.license,
    }))
    .sort(byName);
}

/**
 * The published catalogue, re-checked with the env-only part of the D1
 * path's filter: only active models, demo models only while the demo is on
 * (a switch flipped by a deploy, which the cron's copy reflects only from its
 * next run). Stored bytes are sent unchanged when the filter removes nothing.
 */
async function loadModelList(env: Env): Promise<string> {
  const text = await env.LEADERBOARD.get(KV_PUBLIC_MODELS, "text");
  if (text === null) return JSON.stringify({ models: await modelsFromD1(env) });
  const published = (JSON.parse(text) as { models: PublicModel[] }).models;
  const demoOn = demoModelsEnabled(env);
  const listed = published.filter((model) => model.status === "active" && (demoOn || !model.demo));
  return listed.length === published.length ? text : JSON.stringify({ models: listed });
}

const modelParams = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "id", in: "path" }, description: "A model id from `/api/v1/models` or a leaderboard row.", example: "gpt-4o-mini" }),
});

export function registerModelRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/models",
      tags: ["Models"],
      summary: "Models available by name",
      responses: cachedJsonResponses(publicModelListSchema, "The catalogue, sorted by name", {}),
    }),
    (c) => serveCachedJson(c, { cacheKey: "/api/v1/models", load: () => loadModelList(c.env) }),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/models/{id}",
      tags: ["Models"],
      summary: "One model's standings, rating history and head-to-heads",
      request: { params: modelParams },
      responses: cachedJsonResponses(modelDetailSchema, "The model", { 404: "No published model with this id" }),
    }),
    (c) => {
      const { id } = c.req.valid("param");
      return serveCachedJson(c, {
        cacheKey: `/api/v1/models/${encodeURIComponent(id)}`,
        load: () => publishedText(c.env.LEADERBOARD, modelKey(id), `no published model "${id}"`),
      });
    },
  );
}
