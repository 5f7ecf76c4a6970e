/**
 * The battle endpoints. The protocol is documented in README ("Battle
 * protocol"); in short:
 *
 * - `POST /api/v1/battles` `{"mode":"anonymous","prompt":"…"}` → `text/event-stream`
 *   with events `battle`, interleaved `delta` {side,text}, `done` {side,finishReason}
 *   or `error` {side,code,message} per side, then `end`;
 * - `POST /api/v1/battles/{id}/messages` `{"prompt":"…"}` → the next turn, same stream;
 * - `POST /api/v1/battles/{id}/vote` `{"winner":"a"|"b"|"tie"|"bothbad"}` → JSON reveal;
 * - `POST /api/v1/battles/{id}/stop` → stops the sides still generating;
 * - `GET /api/v1/battles/{id}` → the battle so far (models only once revealed).
 *
 * Routes validate, hand the work to the battle's Durable Object, and map its
 * result; they hold no battle state themselves.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { tagsForFirstPrompt } from "../../src/battle/categories";
import { assertPromptAllowed } from "../../src/battle/rules";
import type { Result } from "../../src/errors";
import { continueBattleRequest, createBattleRequest, voteRequest } from "../../src/wire-schemas";
import type { BattleInit } from "../battle/battle-session";
import { chooseModels } from "../battle/choose-models";
import { SSE_HEADERS } from "../battle/sse";
import { syncModelCatalog } from "../catalog/sync";
import { errorResponse } from "../http/errors";
import { route } from "../http/openapi-route";
import { sessionIdOf } from "../http/session";
import type { AppEnv } from "../app-env";
import type { Context } from "hono";

const BATTLE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const battleParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "0b0d…" }) });
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string() }),
});
const errors = {
  400: { description: "Invalid input", content: { "application/json": { schema: errorSchema } } },
  404: { description: "No such battle", content: { "application/json": { schema: errorSchema } } },
  409: { description: "Not allowed in the battle's current state", content: { "application/json": { schema: errorSchema } } },
  413: { description: "Prompt or body too large", content: { "application/json": { schema: errorSchema } } },
};
const eventStream = {
  description: "Server-sent events: battle, delta, done | error (per side), end",
  content: { "text/event-stream": { schema: z.string() } },
};

function battleStub(c: Context<AppEnv>, id: string) {
  if (!BATTLE_ID.test(id)) return undefined;
  return c.env.BATTLE_SESSION.get(c.env.BATTLE_SESSION.idFromName(id));
}

function respond<T>(c: Context<AppEnv>, result: Result<T>, ok: (value: T) => Response): Response {
  return result.ok ? ok(result.value) : errorResponse(c, result.error.code, result.error.message);
}

/**
 * The turn's event stream. The battle id also travels in `x-battle-id`, so a
 * client that aborts before the first event still knows which battle it began.
 */
function sse(battleId: string) {
  return (stream: ReadableStream<Uint8Array>) => new Response(stream, { headers: { ...SSE_HEADERS, "x-battle-id": battleId } });
}

export function registerBattleRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/battles",
      summary: "Start a battle and stream its first turn",
      request: { body: json(createBattleRequest) },
      responses: { 200: eventStream, ...errors, 503: { description: "No models available" } },
    }),
    async (c) => {
      const body = c.req.valid("json");
      assertPromptAllowed(body.prompt);
      await syncModelCatalog(c.env.DB);
      const battleId = crypto.randomUUID();
      const init: BattleInit = {
        battleId,
        mode: body.mode,
        modality: "text",
        sessionId: sessionIdOf(c),
        categories: tagsForFirstPrompt(body.prompt),
        models: await chooseModels(c.env, body),
        createdAt: Date.now(),
      };
      const stub = battleStub(c, battleId)!;
      return respond(c, await stub.start(init, body.prompt), sse(battleId));
    },
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/battles/{id}/messages",
      summary: "Continue a battle with another prompt",
      request: { params: battleParams, body: json(continueBattleRequest) },
      responses: { 200: eventStream, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const stub = battleStub(c, id);
      if (!stub) return errorResponse(c, "not_found", "no such battle");
      const { prompt } = c.req.valid("json");
      assertPromptAllowed(prompt);
      return respond(c, await stub.continue(prompt), sse(id));
    },
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/battles/{id}/vote",
      summary: "Vote once and reveal the models",
      request: { params: battleParams, body: json(voteRequest) },
      responses: { 200: { description: "The vote and the revealed models", content: { "application/json": { schema: z.any() } } }, ...errors },
    }),
    async (c) => {
      const stub = battleStub(c, c.req.valid("param").id);
      if (!stub) return errorResponse(c, "not_found", "no such battle");
      return respond(c, await stub.vote(c.req.valid("json").winner), (vote) => c.json(vote, 200));
    },
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/battles/{id}/stop",
      summary: "Stop the answers still being generated",
      description:
        "Sides still generating end with an `error` event of code `stopped`; a vote on the battle is stored but does not count.",
      request: { params: battleParams },
      responses: {
        200: { description: "The sides that were stopped (empty when both had finished)", content: { "application/json": { schema: z.object({ battleId: z.string(), stopped: z.array(z.enum(["a", "b"])) }) } } },
        404: errors[404],
      },
    }),
    async (c) => {
      const stub = battleStub(c, c.req.valid("param").id);
      if (!stub) return errorResponse(c, "not_found", "no such battle");
      return respond(c, await stub.stop(), (result) => c.json(result, 200));
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/battles/{id}",
      summary: "The battle so far; models only once revealed",
      request: { params: battleParams },
      responses: { 200: { description: "The battle", content: { "application/json": { schema: z.any() } } }, 404: errors[404] },
    }),
    async (c) => {
      const stub = battleStub(c, c.req.valid("param").id);
      if (!stub) return errorResponse(c, "not_found", "no such battle");
      const result = await stub.view();
      return respond(c, result, (view) => c.json(view, 200, { "cache-control": "no-store" }));
    },
  );
}
