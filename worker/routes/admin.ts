/**
 * Admin routes (bearer `ADMIN_TOKEN`, worker/labs/auth.ts): onboard a lab
 * and manage its API keys. A key is shown once, in the answer that creates it.
 *
 * - `POST /api/v1/admin/labs` `{"name"}` → 201 `{lab: {id, name}, apiKey, keyId}`
 * - `GET /api/v1/admin/labs` → every lab and its keys (prefixes, never keys)
 * - `POST /api/v1/admin/labs/{id}/keys` → 201 a new key (rotation)
 * - `DELETE /api/v1/admin/labs/{id}/keys/{keyId}` → the key is revoked
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { createLabRequest, createdLabSchema, issuedKeySchema, labListSchema, revokedKeySchema } from "../../src/labs/schemas";
import type { AppEnv } from "../app-env";
import { failure, jsonAnswer, respond } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { addLabKey, createLab, listLabs, revokeLabKey } from "../labs/service";

const security = [{ adminToken: [] }];

const labParams = z.object({ id: z.string().max(64).openapi({ param: { name: "id", in: "path" } }) });


export function registerAdminRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "adminToken", { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN secret." });
  const errors = { 400: failure("Invalid input"), 401: failure("No valid admin token") };

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/admin/labs",
      tags: ["Admin"],
      security,
      summary: "Onboard a lab and issue its first API key",
      request: { body: { content: { "application/json": { schema: createLabRequest } }, required: true } },
      responses: { 201: jsonAnswer("The lab and its key (shown once)", createdLabSchema), ...errors, 409: failure("A lab with this name exists") },
    }),
    async (c) => respond(c, await createLab(c.env, c.req.valid("json").name), (created) => c.json(created, 201)),
  );

  route(
    app,
    createRoute({ method: "get", path: "/api/v1/admin/labs", tags: ["Admin"], security, summary: "Every lab and its keys", responses: { 200: jsonAnswer("The labs", labListSchema), ...errors } }),
    async (c) => c.json({ labs: await listLabs(c.env) }),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/admin/labs/{id}/keys",
      tags: ["Admin"],
      security,
      summary: "Issue another key for a lab (rotation)",
      request: { params: labParams },
      responses: { 201: jsonAnswer("The new key (shown once)", issuedKeySchema), ...errors, 404: failure("No such lab") },
    }),
    async (c) => respond(c, await addLabKey(c.env, c.req.valid("param").id), (key) => c.json(key, 201)),
  );

  route(
    app,
    createRoute({
      method: "delete",
      path: "/api/v1/admin/labs/{id}/keys/{keyId}",
      tags: ["Admin"],
      security,
      summary: "Revoke a lab key",
      request: { params: labParams.extend({ keyId: z.string().max(64).openapi({ param: { name: "keyId", in: "path" } }) }) },
      responses: { 200: jsonAnswer("The revoked key", revokedKeySchema), ...errors, 404: failure("No such key for this lab") },
    }),
    async (c) => {
      const { id, keyId } = c.req.valid("param");
      return respond(c, await revokeLabKey(c.env, id, keyId), (revoked) => c.json(revoked));
    },
  );
}
