/**
 * `GET /api/v1/votes/log?from=SEQ&limit=N`: pages through the public vote
 * log (worker/votelog/), each record with its chain hash, and the chain
 * point before the page so a page can be verified on its own.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { GENESIS } from "../../src/votelog/chain";
import { voteLogPageSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { failure, jsonAnswer } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { logHead, readLog } from "../votelog/records";

export const VOTE_LOG_PAGE_MAX = 1_000;

const query = z.object({
  from: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1).openapi({ param: { name: "from", in: "query" }, description: "First seq to return (default 1)." }),
  limit: z.coerce.number().int().min(1).max(VOTE_LOG_PAGE_MAX).default(100).openapi({ param: { name: "limit", in: "query" }, description: `Records per page, 1–${VOTE_LOG_PAGE_MAX} (default 100).` }),
});

export function registerVoteLogRoute(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/votes/log",
      tags: ["Transparency"],
      summary: "The hash-chained vote log",
      description:
        "Every stored vote, counted or not, in seq order, with its chain hash: hashₙ = SHA-256(hashₙ₋₁ ‖ canonical JSON of recordₙ). Recompute the chain from `previous` to check a page; the leaderboard names the head each publication was computed at.",
      request: { query },
      responses: { 200: jsonAnswer("A page of the log", voteLogPageSchema), 400: failure("Invalid from or limit") },
    }),
    async (c) => {
      const { from, limit } = c.req.valid("query");
      const [records, previous, head] = await Promise.all([readLog(c.env.DB, from, limit + 1), logHead(c.env.DB, from - 1), logHead(c.env.DB)]);
      const page = records.slice(0, limit);
      const next = records.length > limit ? records[limit]!.seq : null;
      c.header("cache-control", "public, max-age=60");
      return c.json({ previous: previous ?? GENESIS, records: page, next, head }, 200);
    },
  );
}
