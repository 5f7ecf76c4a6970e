/**
 * The published leaderboards, read from KV as the ranking cron wrote them:
 *
 * - `GET /api/v1/leaderboard/categories` → LeaderboardIndex;
 * - `GET /api/v1/leaderboard?category=overall&style=default|control[&matrices=1]`
 *   → PublishedLeaderboard, without the pairwise matrices unless asked for
 *   (they grow with the square of the model count and only charts use them).
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { ArenaError } from "../../src/errors";
import { LEADERBOARD_STYLES, type LeaderboardIndex, type LeaderboardStyle } from "../../src/wire";
import { leaderboardIndexSchema, publishedLeaderboardSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { cachedJsonResponses, publishedText, serveCachedJson } from "../http/cached-json";
import { route } from "../http/openapi-route";
import { KV_INDEX, leaderboardKey, matricesKey } from "../leaderboard/kv-keys";

const NOTHING_PUBLISHED = "no leaderboard has been published yet";

const leaderboardQuery = z.object({
  category: z
    .string()
    .min(1)
    .max(64)
    .default("overall")
    .openapi({ description: "A category id from `/api/v1/leaderboard/categories`.", example: "overall" }),
  style: z
    .enum(LEADERBOARD_STYLES)
    .default("default")
    .openapi({ description: "`control` adjusts ratings for answer length and markdown (style control)." }),
  matrices: z
    .enum(["0", "1"])
    .default("0")
    .openapi({ description: "`1` adds the pairwise matrices (battle counts, win fractions, predictions)." }),
});

/**
 * Adds the separately stored matrices to a board's JSON text. The board is
 * kept without them so the common request serves the stored bytes as they are.
 */
function withMatrices(board: string, matrices: string | null): string {
  return matrices === null ? board : `${board.slice(0, board.lastIndexOf("}"))},"matrices":${matrices}}`;
}

/**
 * The board's stored text, checked against the index first so an unknown
 * category or an unpublished style gets a 404 that says which.
 */
async function loadLeaderboard(kv: KVNamespace, category: string, style: LeaderboardStyle, matrices: boolean): Promise<string> {
  const index = JSON.parse(await publishedText(kv, KV_INDEX, NOTHING_PUBLISHED)) as LeaderboardIndex;
  const summary = index.categories.find((entry) => entry.id === category);
  if (!summary) throw new ArenaError("not_found", `no leaderboard for category "${category}"; see /api/v1/leaderboard/categories`);
  if (!summary.styles.includes(style)) throw new ArenaError("not_found", `category "${category}" has no "${style}" leaderboard`);
  const text = await publishedText(kv, leaderboardKey(category, style), "the leaderboard is being republished; try again shortly");
  return matrices ? withMatrices(text, await kv.get(matricesKey(category, style))) : text;
}

export function registerLeaderboardRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/leaderboard/categories",
      tags: ["Leaderboard"],
      summary: "Published categories",
      description: "Every category with a published leaderboard, with its vote count and available styles.",
      responses: cachedJsonResponses(leaderboardIndexSchema, "The leaderboard index", { 404: NOTHING_PUBLISHED }),
    }),
    (c) =>
      serveCachedJson(c, {
        cacheKey: "/api/v1/leaderboard/categories",
        load: () => publishedText(c.env.LEADERBOARD, KV_INDEX, NOTHING_PUBLISHED),
      }),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/leaderboard",
      tags: ["Leaderboard"],
      summary: "One published leaderboard",
      description:
        "Bradley-Terry ratings with 95% intervals for one category and style, as last published by the ranking job.",
      request: { query: leaderboardQuery },
      responses: cachedJsonResponses(publishedLeaderboardSchema, "The leaderboard", {
        400: "Invalid style or matrices flag",
        404: "No leaderboard for this category and style",
      }),
    }),
    (c) => {
      const { category, style, matrices } = c.req.valid("query");
      const canonical = new URLSearchParams({ category, style, matrices });
      return serveCachedJson(c, {
        cacheKey: `/api/v1/leaderboard?${canonical}`,
        load: () => loadLeaderboard(c.env.LEADERBOARD, category, style, matrices === "1"),
      });
    },
  );
}
