/**
 * A lab's webhook endpoints (bearer lab key, worker/labs/auth.ts). Another
 * lab's webhook answers 404, the same as an unknown id.
 *
 * - `POST /api/v1/lab/webhooks` `{"url", "events"}` → 201 `{id, secret}` (the secret shown once)
 * - `GET /api/v1/lab/webhooks` → the lab's endpoints (never their secrets)
 * - `DELETE /api/v1/lab/webhooks/{id}`
 * - `POST /api/v1/lab/webhooks/{id}/rotate-secret` → 200 `{id, secret, previousSecretExpiresAt}`
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../../src/webhooks/events";
import type { AppEnv } from "../app-env";
import { failure, jsonAnswer, respond } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { createWebhook, deleteWebhook, listWebhooks, rotateWebhookSecret } from "../labs/service";

const security = [{ labApiKey: [] }];
const eventTypes = z.enum(WEBHOOK_EVENT_TYPES as [WebhookEventType, ...WebhookEventType[]]);
const hookParams = z.object({ id: z.string().max(64).openapi({ param: { name: "id", in: "path" } }) });
const webhookSchema = z
  .object({ id: z.string(), url: z.string(), events: z.array(eventTypes), createdAt: z.string(), previousSecretExpiresAt: z.string().nullable() })
  .openapi("Webhook");
const secretAnswer = z.object({ id: z.string(), secret: z.string().openapi({ description: "Standard Webhooks secret (`whsec_…`), shown once." }) });

export function registerLabWebhookRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "labApiKey", { type: "http", scheme: "bearer", description: "A lab API key (`ealab_…`)." });
  const errors = { 400: failure("Invalid input, or a URL the SSRF guard refuses"), 401: failure("No valid lab API key") };

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/lab/webhooks",
      tags: ["Labs"],
      security,
      summary: "Register a webhook receiver",
      request: {
        body: {
          content: { "application/json": { schema: z.object({ url: z.string().max(2048), events: z.array(eventTypes).min(1).max(WEBHOOK_EVENT_TYPES.length) }).strict() } },
          required: true,
        },
      },
      responses: { 201: jsonAnswer("The webhook and its signing secret (shown once)", secretAnswer), ...errors },
    }),
    async (c) => {
      const { url, events } = c.req.valid("json");
      return respond(c, await createWebhook(c.env, c.get("labId"), { url, events }), (hook) => c.json(hook, 201));
    },
  );

  route(
    app,
    createRoute({ method: "get", path: "/api/v1/lab/webhooks", tags: ["Labs"], security, summary: "The lab's webhooks", responses: { 200: jsonAnswer("The webhooks", z.object({ webhooks: z.array(webhookSchema) })), ...errors } }),
    async (c) => c.json({ webhooks: await listWebhooks(c.env, c.get("labId")) }),
  );

  route(
    app,
    createRoute({
      method: "delete",
      path: "/api/v1/lab/webhooks/{id}",
      tags: ["Labs"],
      security,
      summary: "Delete a webhook",
      request: { params: hookParams },
      responses: { 200: jsonAnswer("The deleted webhook", z.object({ id: z.string() })), ...errors, 404: failure("No such webhook") },
    }),
    async (c) => respond(c, await deleteWebhook(c.env, c.get("labId"), c.req.valid("param").id), (gone) => c.json(gone)),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/lab/webhooks/{id}/rotate-secret",
      tags: ["Labs"],
      security,
      summary: "Rotate a webhook's signing secret; the previous one keeps signing during the overlap window",
      request: { params: hookParams },
      responses: { 200: jsonAnswer("The new secret (shown once)", secretAnswer.extend({ previousSecretExpiresAt: z.string() })), ...errors, 404: failure("No such webhook") },
    }),
    async (c) => respond(c, await rotateWebhookSecret(c.env, c.get("labId"), c.req.valid("param").id), (rotated) => c.json(rotated)),
  );
}
