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
 * - `GET /api/v1/battles/{id}` → the battle so far (models only once revealed);
 * - `POST /api/v1/battles/{id}/share` → a read-only link, after the vote;
 * - `GET /api/v1/shared/{id}/{token}` → the shared battle.
 *
 * A battle belongs to the session that started it: for any other session
 * every battle route answers 404, exactly as for an unknown id.
 *
 * Routes validate, call one verb of worker/battle/service.ts, and map its
 * result.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  battleViewSchema,
  continueBattleRequest,
  createBattleRequest,
  sharedBattleViewSchema,
  shareResponseSchema,
  voteRequest,
  voteResponseSchema,
} from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { continueBattle, shareBattle, startBattle, stopBattle, viewBattle, viewSharedBattle, voteOnBattle, type Caller, type TurnStream } from "../battle/service";
import { SSE_HEADERS } from "../battle/sse";
import { failure, jsonAnswer, respond } from "../http/openapi-answers";
import { route } from "../http/openapi-route";

const battleParams = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" }, example: "0b0d…" }) });
const sharedParams = battleParams.extend({ token: z.string().max(64).openapi({ param: { name: "token", in: "path" } }) });
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const errors = {
  400: failure("Invalid input"),
  404: failure("No such battle, or not this session's"),
  409: failure("Not allowed in the battle's current state"),
  413: failure("Prompt or body too large"),
  429: failure("Too many turns or votes from this session or IP address; see Retry-After"),
};
const eventStream = {
  description: "Server-sent events: battle, delta, done | error (per side), end",
  content: { "text/event-stream": { schema: z.string() } },
};

function callerOf(c: Context<AppEnv>): Caller {
  return {
    env: c.env,
    sessionId: c.get("sessionId"),
    accountId: c.get("accountId") ?? null,
    clientIp: c.get("clientIp"),
    waitUntil: (work) => c.executionCtx.waitUntil(work),
  };
}


/**
 * The turn's event stream. The battle id also travels in `x-battle-id`, so a
 * client that aborts before the first event still knows which battle it began.
 */
const sse = (turn: TurnStream) => new Response(turn.stream, { headers: { ...SSE_HEADERS, "x-battle-id": turn.battleId } });
const noStore = { "cache-control": "no-store" };

export function registerBattleRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/battles",
      summary: "Start a battle and stream its first turn",
      request: { body: json(createBattleRequest) },
      responses: { 200: eventStream, ...errors, 503: failure("No models available") },
    }),
    async (c) => respond(c, await startBattle(callerOf(c), c.req.valid("json")), sse),
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
    async (c) => respond(c, await continueBattle(callerOf(c), c.req.valid("param").id, c.req.valid("json").prompt), sse),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/battles/{id}/vote",
      summary: "Vote once and reveal the models",
      description:
        "The vote is always stored. It counts unless an exclusion rule applies (`reason`): a rule of the battle, or a cap on counted votes per session, per IP address and per repeated prompt. Sending the recorded vote again (same winner) returns its answer again and records nothing; a different winner is refused with 409.",
      request: { params: battleParams, body: json(voteRequest) },
      responses: {
        200: jsonAnswer("The vote and the revealed models", voteResponseSchema),
        ...errors,
        503: failure("The battle was briefly unavailable (its object restarted); send the same vote again after Retry-After"),
      },
    }),
    async (c) => {
      const { winner, identityShown } = c.req.valid("json");
      return respond(c, await voteOnBattle(callerOf(c), c.req.valid("param").id, winner, identityShown), (vote) => c.json(vote, 200));
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
        200: jsonAnswer("The sides that were stopped (empty when both had finished)", z.object({ battleId: z.string(), stopped: z.array(z.enum(["a", "b"])) })),
        404: errors[404],
      },
    }),
    async (c) => respond(c, await stopBattle(callerOf(c), c.req.valid("param").id), (result) => c.json(result, 200)),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/battles/{id}",
      summary: "The battle so far; models only once revealed",
      request: { params: battleParams },
      responses: { 200: jsonAnswer("The battle", battleViewSchema), 404: errors[404] },
    }),
    async (c) => respond(c, await viewBattle(callerOf(c), c.req.valid("param").id), (view) => c.json(view, 200, noStore)),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/battles/{id}/share",
      summary: "Create the read-only share link of a voted battle",
      description: "The link shows the conversation, the revealed models and the outcome, never who voted. Repeating the call gives the same link.",
      request: { params: battleParams },
      responses: { 200: jsonAnswer("The share link", shareResponseSchema), 404: errors[404], 409: errors[409] },
    }),
    async (c) => respond(c, await shareBattle(callerOf(c), c.req.valid("param").id), (share) => c.json(share, 200)),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/shared/{id}/{token}",
      summary: "A shared battle",
      request: { params: sharedParams },
      responses: { 200: jsonAnswer("The shared battle", sharedBattleViewSchema), 404: failure("No such shared battle") },
    }),
    async (c) => {
      const { id, token } = c.req.valid("param");
      // Voted battles do not change, but a share could be withdrawn later: keep caches short.
      return respond(c, await viewSharedBattle(c.env, id, token), (view) => c.json(view, 200, { "cache-control": "private, max-age=60" }));
    },
  );
}
