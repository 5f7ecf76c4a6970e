/**
 * `GET /api/v1/health`: what an operator (or an uptime check) needs to know
 * about the vote path. `degraded` while dead letters are open — writes the
 * battle outboxes gave up on, which are kept in D1 until someone replays
 * them (see docs/outbox.md) — or while D1 cannot be read. Always answered
 * 200 with the body saying which: a monitor reads the status, and a health
 * check must not itself fail with a 5xx.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { d1Cause, openDeadLetters } from "../db/record";
import { route } from "../http/openapi-route";

export const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]).openapi({ description: "`degraded` when dead letters are open or D1 cannot be read." }),
    deadLetters: z.object({
      open: z
        .number()
        .int()
        .min(0)
        .nullable()
        .openapi({ description: "Dead letters not yet resolved; null when D1 could not be read." }),
    }),
    time: z.string().datetime().openapi({ description: "When the answer was made (ISO 8601, UTC)." }),
  })
  .openapi("Health");

export type Health = z.infer<typeof healthSchema>;

export function registerHealthRoute(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/health",
      tags: ["Operations"],
      summary: "Health of the vote path: open dead letters",
      responses: {
        200: { description: "The health, never cached", content: { "application/json": { schema: healthSchema } } },
      },
    }),
    async (c) => {
      let open: number | null;
      try {
        open = await openDeadLetters(c.env.DB);
      } catch (error) {
        console.error(JSON.stringify({ requestId: c.get("requestId"), health: "dead letters unreadable", error: d1Cause(error) }));
        open = null;
      }
      const body: Health = { status: open === 0 ? "ok" : "degraded", deadLetters: { open }, time: new Date().toISOString() };
      c.header("cache-control", "no-store");
      return c.json(body, 200);
    },
  );
}
