/**
 * The WebDev arena's apps, each served as its own sandboxed document:
 * - `GET /api/v1/battles/{id}/app?turn=1&side=a` → the caller's battle;
 * - `GET /api/v1/shared/{id}/{token}/app?turn=1&side=a` → a shared battle.
 *
 * The client frames these with `sandbox="allow-scripts"`; the policy header
 * sandboxes the document again, so it has an opaque origin (no cookies, no
 * storage, no API with the user's credentials) even when opened on its own.
 */
import type { Context } from "hono";
import { WEBAPP_CONTENT_SECURITY_POLICY } from "../../src/battle/webdev";
import type { Result } from "../../src/errors";
import { SIDES, type Side } from "../../src/wire";
import type { AppEnv } from "../app-env";
import { viewBattle, viewSharedBattle, webAppOf } from "../battle/service";
import { errorResponse } from "../http/errors";

const APP_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": WEBAPP_CONTENT_SECURITY_POLICY,
  "x-frame-options": "SAMEORIGIN",
  "referrer-policy": "no-referrer",
  "cache-control": "private, no-store",
};

function appQuery(c: Context<AppEnv>): { turn: number; side: Side } | undefined {
  const turn = Number(c.req.query("turn"));
  const side = c.req.query("side") as Side;
  return Number.isInteger(turn) && turn >= 1 && SIDES.includes(side) ? { turn, side } : undefined;
}

function serveApp(c: Context<AppEnv>, app: Result<string>): Response {
  if (!app.ok) return errorResponse(c, app.error.code, app.error.message);
  return c.body(app.value, 200, APP_HEADERS);
}

export function registerWebDevRoutes(app: import("@hono/zod-openapi").OpenAPIHono<AppEnv>): void {
  app.get("/api/v1/battles/:id/app", async (c) => {
    const query = appQuery(c);
    if (!query) return errorResponse(c, "invalid_request", "give turn (1, 2, …) and side (a or b)");
    const caller = { env: c.env, sessionId: c.get("sessionId"), accountId: c.get("accountId") ?? null, clientIp: c.get("clientIp") };
    const view = await viewBattle(caller, c.req.param("id"));
    return serveApp(c, view.ok ? webAppOf(view.value, query.turn, query.side) : view);
  });

  app.get("/api/v1/shared/:id/:token/app", async (c) => {
    const query = appQuery(c);
    if (!query) return errorResponse(c, "invalid_request", "give turn (1, 2, …) and side (a or b)");
    const view = await viewSharedBattle(c.env, c.req.param("id"), c.req.param("token"));
    return serveApp(c, view.ok ? webAppOf(view.value, query.turn, query.side) : view);
  });
}
