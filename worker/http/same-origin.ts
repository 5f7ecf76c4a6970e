/**
 * Battles and votes are same-origin. The public read routes answer any
 * origin (CORS in routes/public.ts); these do not, because each one spends
 * the visitor's session: another site must not start battles, send prompts,
 * stop answers or cast votes in a visitor's name.
 *
 * - A preflight (`OPTIONS`) is answered 204 with no CORS allowance, so the
 *   browser refuses the cross-origin request it was asking about. It is
 *   answered here, before the session middleware, so probing the route
 *   neither 404s nor hands out a session cookie.
 * - A state-changing request whose `Origin` is not the Worker's own origin is
 *   refused with 403 `forbidden_origin`. Browsers send `Origin` on every POST
 *   (fetch and HTML forms alike), so this also stops form-based cross-site
 *   requests that need no preflight. `Origin: null` (sandboxed frames,
 *   privacy redirects) is not our origin either.
 * - A request without `Origin` is allowed: it does not come from a web page
 *   (curl, scripts, server-to-server), so there is no visitor to protect. Such
 *   clients are held by the same session and per-IP limits as a browser.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { errorResponse } from "./errors";

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** Preflights get a bare 204; state-changing requests from a foreign origin get 403. */
export const sameOriginOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "OPTIONS") return c.body(null, 204);
  if (SAFE_METHODS.has(c.req.method)) return next();
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== new URL(c.req.url).origin) {
    return errorResponse(c, "forbidden_origin", "battles and votes only accept requests from the arena's own pages");
  }
  return next();
};
