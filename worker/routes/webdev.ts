/**
 * The WebDev arena's apps, each served as its own sandboxed document:
 * - `GET /api/v1/battles/{id}/app?turn=1&side=a` → the caller's battle;
 * - `GET /api/v1/shared/{id}/{token}/app?turn=1&side=a` → a shared battle.
 *
 * The client frames these with `sandbox="allow-scripts"`; the policy header
 * sandboxes the document again, so it has an opaque origin (no cookies, no
 * storage, no API with the user's credentials) even when opened on its own.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { WEBAPP_CONTENT_SECURITY_POLICY } from "../../src/battle/webdev";
import type { Result } from "../../src/errors";
import { SIDES } from "../../src/wire";
import type { AppEnv } from "../app-env";
import { viewBattle, viewSharedBattle, webAppOf } from "../battle/service";
import { errorResponse } from "../http/errors";
import { failure } from "../http/openapi-answers";
import { route } from "../http/openapi-route";

const APP_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": WEBAPP_CONTENT_SECURITY_POLICY,
  "x-frame-options": "SAMEORIGIN",
  "referrer-policy": "no-referrer",
  "cache-control": "private, no-store",
};

const appQuery = z.object({
  turn: z.coerce.number().int().min(1).max(1000).openapi({ param: { name: "turn", in: "query" }, example: 1 }),
  side: z.enum(SIDES).openapi({ param: { name: "side", in: "query" }, example: "a" }),
});
const appAnswers = {
  200: { description: "The app, as a sandboxed HTML document", content: { "text/html": { schema: z.string() } } },
  400: failure("turn and side are missing or invalid"),
  404: failure("No such battle, not this session's, or no app in this answer"),
};
const id = z.string().openapi({ param: { name: "id", in: "path" } });

function serveApp(c: Context<AppEnv>, app: Result<string>): Response {
  if (!app.ok) return errorResponse(c, app.error.code, app.error.message);
  return c.body(app.value, 200, APP_HEADERS);
}

export function registerWebDevRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/battles/{id}/app",
      summary: "A WebDev answer's app, sandboxed",
      request: { params: z.object({ id }), query: appQuery },
      responses: appAnswers,
    }),
    async (c) => {
      const { turn, side } = c.req.valid("query");
      const caller = { env: c.env, sessionId: c.get("sessionId"), accountId: c.get("accountId") ?? null, clientIp: c.get("clientIp") };
      const view = await viewBattle(caller, c.req.valid("param").id);
      return serveApp(c, view.ok ? webAppOf(view.value, turn, side) : view);
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/shared/{id}/{token}/app",
      summary: "A shared WebDev battle's app, sandboxed",
      request: { params: z.object({ id, token: z.string().max(64).openapi({ param: { name: "token", in: "path" } }) }), query: appQuery },
      responses: appAnswers,
    }),
    async (c) => {
      const { turn, side } = c.req.valid("query");
      const { id: battleId, token } = c.req.valid("param");
      const view = await viewSharedBattle(c.env, battleId, token);
      return serveApp(c, view.ok ? webAppOf(view.value, turn, side) : view);
    },
  );
}
