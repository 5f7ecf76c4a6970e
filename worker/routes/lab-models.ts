/**
 * A lab's models (bearer lab key, worker/labs/auth.ts). Another lab's model
 * answers 404, the same as an unknown id; the endpoint key is never returned.
 *
 * - `POST /api/v1/lab/models` → 201 `{id, status: "preview"}` (409 above the preview cap or for a taken codename)
 * - `GET /api/v1/lab/models`, `GET /api/v1/lab/models/{id}`
 * - `GET /api/v1/lab/models/{id}/results` → the model's rows in every board, previews included (computed by the cron)
 * - `POST /api/v1/lab/models/{id}/release` `{name, organization?}`, `…/withdraw`, `…/retire` `{reason}`
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import {
  labModelListSchema,
  labModelResultsSchema,
  labModelSchema,
  registeredPreviewSchema,
  registerPreviewRequest,
  releaseRequest,
  retireRequest,
} from "../../src/labs/schemas";
import type { AppEnv } from "../app-env";
import { failure, jsonAnswer, respond } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { getLabModel, listLabModels, registerPreview, releaseModel, retireModel, withdrawModel } from "../labs/models";
import { readLabResults } from "../labs/results";

const security = [{ labApiKey: [] }];
const modelParams = z.object({ id: z.string().max(64).openapi({ param: { name: "id", in: "path" } }) });
const json = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

export function registerLabModelRoutes(app: OpenAPIHono<AppEnv>): void {
  const errors = { 400: failure("Invalid input, or an endpoint the SSRF guard refuses"), 401: failure("No valid lab API key") };
  const one = { ...errors, 404: failure("No such model") };
  const lifecycle = { ...one, 409: failure("Not allowed from the model's status, or a name that is taken") };

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/lab/models",
      tags: ["Labs"],
      security,
      summary: "Register a model as a private preview under its codename",
      request: json(registerPreviewRequest),
      responses: { 201: jsonAnswer("The preview", registeredPreviewSchema), ...errors, 409: failure("The lab runs as many previews as allowed, or the codename is taken") },
    }),
    async (c) => respond(c, await registerPreview(c.env, c.get("labId"), c.req.valid("json")), (created) => c.json(created, 201)),
  );

  route(
    app,
    createRoute({ method: "get", path: "/api/v1/lab/models", tags: ["Labs"], security, summary: "The lab's models", responses: { 200: jsonAnswer("The models", labModelListSchema), ...errors } }),
    async (c) => c.json({ models: await listLabModels(c.env, c.get("labId")) }),
  );

  route(
    app,
    createRoute({ method: "get", path: "/api/v1/lab/models/{id}", tags: ["Labs"], security, summary: "One of the lab's models", request: { params: modelParams }, responses: { 200: jsonAnswer("The model", labModelSchema), ...one } }),
    async (c) => respond(c, await getLabModel(c.env, c.get("labId"), c.req.valid("param").id), (model) => c.json(model)),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/lab/models/{id}/results",
      tags: ["Labs"],
      security,
      summary: "The model's standing in every board it has votes in, computed as the public boards are (previews included, privately)",
      request: { params: modelParams },
      responses: { 200: jsonAnswer("The results", labModelResultsSchema), ...one },
    }),
    async (c) => {
      const labId = c.get("labId");
      const { id } = c.req.valid("param");
      const [model, results] = await Promise.all([getLabModel(c.env, labId, id), readLabResults(c.env.LEADERBOARD, labId)]);
      return respond(c, model, (m) => c.json({ modelId: m.id, status: m.status, computedAt: results?.computedAt ?? null, standings: results?.models[m.id] ?? [] }));
    },
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/lab/models/{id}/release",
      tags: ["Labs"],
      security,
      summary: "Release a preview under its public name; its votes stay with it and it is provisional until its post-release votes",
      request: { params: modelParams, ...json(releaseRequest) },
      responses: { 200: jsonAnswer("The released model", labModelSchema), ...lifecycle },
    }),
    async (c) => respond(c, await releaseModel(c.env, c.get("labId"), c.req.valid("param").id, c.req.valid("json")), (model) => c.json(model)),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/lab/models/{id}/withdraw",
      tags: ["Labs"],
      security,
      summary: "End a preview; it is no longer sampled and enters the public register",
      request: { params: modelParams },
      responses: { 200: jsonAnswer("The withdrawn model", labModelSchema), ...lifecycle },
    }),
    async (c) => respond(c, await withdrawModel(c.env, c.get("labId"), c.req.valid("param").id), (model) => c.json(model)),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/lab/models/{id}/retire",
      tags: ["Labs"],
      security,
      summary: "Retire a released model: it stays on the boards, marked retired, and is no longer sampled",
      request: { params: modelParams, ...json(retireRequest) },
      responses: { 200: jsonAnswer("The retired model", labModelSchema), ...lifecycle },
    }),
    async (c) => respond(c, await retireModel(c.env, c.get("labId"), c.req.valid("param").id, c.req.valid("json").reason), (model) => c.json(model)),
  );
}
