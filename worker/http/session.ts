/**
 * The anonymous session: a random id in an HttpOnly cookie, set on first
 * use. Battles and votes carry it, so history, vote caps and sign-in can
 * attach to it later without changing the record.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const SESSION_COOKIE = "arena_session";
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ONE_YEAR_S = 365 * 24 * 3600;

export const anonymousSession: MiddlewareHandler = async (c, next) => {
  let id = getCookie(c, SESSION_COOKIE);
  if (!id || !SESSION_ID.test(id)) {
    id = crypto.randomUUID();
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
      path: "/",
      maxAge: ONE_YEAR_S,
    });
  }
  c.set("sessionId" as never, id as never);
  await next();
};

export function sessionIdOf(c: Context): string | null {
  return (c.get("sessionId" as never) as string | undefined) ?? null;
}
