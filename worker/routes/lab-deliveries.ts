/**
 * A lab's webhook deliveries (bearer lab key, worker/labs/auth.ts); another
 * lab's webhook or delivery answers 404, the same as an unknown id.
 *
 * - `GET /api/v1/lab/webhooks/{id}/deliveries?limit&cursor` → newest first, each with its attempts
 * - `POST /api/v1/lab/webhooks/{id}/deliveries/{deliveryId}/replay` → 202: the same body, the same id
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { failure, jsonAnswer, respond } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { CURSOR_PATTERN, listDeliveries, replayDelivery } from "../webhooks/deliveries";

const security = [{ labApiKey: [] }];
const id = z.string().min(1).max(64);
const hookParams = z.object({ id: id.openapi({ param: { name: "id", in: "path" } }) });
const replayParams = hookParams.extend({ deliveryId: id.openapi({ param: { name: "deliveryId", in: "path" } }) });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ param: { name: "limit", in: "query" }, description: "Deliveries per page, at most 100." }),
  cursor: z.string().regex(CURSOR_PATTERN).optional().openapi({ param: { name: "cursor", in: "query" }, description: "`nextCursor` of the previous page." }),
});

const attemptSchema = z
  .object({
    attempt: z.number().int().openapi({ description: "1 for the first attempt; a replay continues the count." }),
    at: z.string(),
    httpStatus: z.number().int().nullable().openapi({ description: "The receiver's status; null when no answer came (timeout, refused URL, network)." }),
    latencyMs: z.number().int(),
    error: z.string().nullable(),
    manual: z.boolean().openapi({ description: "True for the attempt of a replay the lab asked for." }),
  })
  .openapi("WebhookAttempt");
const deliverySchema = z
  .object({
    id: z.string().openapi({ description: "The `webhook-id` header, the same on every attempt and replay." }),
    eventType: z.string(),
    status: z.enum(["pending", "delivered", "dead"]),
    attempts: z.number().int(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    lastError: z.string().nullable(),
    history: z.array(attemptSchema),
  })
  .openapi("WebhookDelivery");

export function registerLabDeliveryRoutes(app: OpenAPIHono<AppEnv>): void {
  const errors = { 400: failure("Invalid input"), 401: failure("No valid lab API key") };

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/lab/webhooks/{id}/deliveries",
      tags: ["Labs"],
      security,
      summary: "A webhook's deliveries, newest first, with every attempt",
      request: { params: hookParams, query: pageQuery },
      responses: {
        200: jsonAnswer("One page of deliveries", z.object({ deliveries: z.array(deliverySchema), nextCursor: z.string().nullable() })),
        ...errors,
        404: failure("No such webhook"),
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return respond(c, await listDeliveries(c.env, c.get("labId"), c.req.valid("param").id, { limit, cursor }), (page) => c.json(page));
    },
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/lab/webhooks/{id}/deliveries/{deliveryId}/replay",
      tags: ["Labs"],
      security,
      summary: "Send a delivered or dead delivery again, with the same body and webhook-id",
      request: { params: replayParams },
      responses: {
        202: jsonAnswer("Queued again", z.object({ id: z.string(), status: z.literal("pending") })),
        ...errors,
        404: failure("No such webhook or delivery"),
        409: failure("The delivery is still being attempted"),
        503: failure("The delivery queue is unavailable"),
      },
    }),
    async (c) => {
      const { id: webhookId, deliveryId } = c.req.valid("param");
      return respond(c, await replayDelivery(c.env, c.get("labId"), webhookId, deliveryId), (queued) => c.json(queued, 202));
    },
  );
}
