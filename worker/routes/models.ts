/**
 * `GET /api/v1/models`: the public catalogue of models that can be chosen by
 * name (side-by-side and direct chats). Preview models are not listed: they
 * can only be met anonymously until released.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { PublicModel } from "../../src/wire";
import type { AppEnv } from "../app";
import { syncModelCatalog } from "../catalog/sync";
import { models } from "../db/schema";
import { route } from "../http/openapi-route";
import { isModelAvailable } from "../providers/registry";

export function registerModelRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/models",
      summary: "Models available by name",
      responses: { 200: { description: "The catalogue", content: { "application/json": { schema: z.any() } } } },
    }),
    async (c) => {
      await syncModelCatalog(c.env.DB);
      const rows = await drizzle(c.env.DB).select().from(models).where(eq(models.status, "active"));
      const list: PublicModel[] = rows
        .filter((row) => isModelAvailable(row, c.env))
        .map((row) => ({
          id: row.id,
          name: row.name,
          organization: row.organization,
          modality: row.modality,
          status: row.status,
          demo: row.isDemo,
          license: row.license,
        }))
        .sort((x, y) => x.name.localeCompare(y.name));
      return c.json({ models: list }, 200);
    },
  );
}
