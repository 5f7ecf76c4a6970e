/**
 * The anonymous session: a random id in an HttpOnly cookie, signed with
 * HMAC-SHA-256 under the `SESSION_SECRET` secret. Battles, votes, limits and
 * caps attach to it, so it must not be choosable by the client: a cookie that
 * is missing, unsigned, malformed or forged is never trusted, it is replaced
 * by a fresh signed session. Forging or rotating cookies therefore buys a
 * script nothing but new, empty sessions, which the per-IP limits still bind.
 *
 * Cookie value: `<uuid>.<base64url(HMAC-SHA-256(secret, "session:" + uuid))>`.
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { serialize } from "hono/utils/cookie";
import type { AppEnv } from "../app-env";
import { arenaSecret, hmacKey, sign, verify } from "../keys";

export const SESSION_COOKIE = "arena_session";
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ONE_YEAR_S = 365 * 24 * 3600;
/** Domain separation: the same secret also signs other things (share links). */
const PURPOSE = "session:";

/** A new signed cookie value for a fresh session. */
export async function mintSession(secret: string): Promise<{ id: string; cookie: string }> {
  const id = crypto.randomUUID();
  return { id, cookie: `${id}.${await sign(await hmacKey(secret), PURPOSE + id)}` };
}

/** The session id a cookie value proves, or null when it does not verify. */
export async function verifySession(secret: string, cookie: string | undefined): Promise<string | null> {
  if (!cookie) return null;
  const dot = cookie.indexOf(".");
  const id = cookie.slice(0, dot);
  if (dot < 0 || !SESSION_ID.test(id)) return null;
  return (await verify(await hmacKey(secret), PURPOSE + id, cookie.slice(dot + 1))) ? id : null;
}

/**
 * Sets `sessionId` for the handlers, and adds exactly one `Set-Cookie` to the
 * response when the session is new. The cookie is appended to whatever
 * response the handler produced (a streamed battle included), after it ran.
 * Preflight requests neither read nor mint a session.
 */
export const anonymousSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "OPTIONS" || c.get("sessionId")) return next();
  const secret = arenaSecret(c.env);
  const known = await verifySession(secret, getCookie(c, SESSION_COOKIE));
  if (known) {
    c.set("sessionId", known);
    return next();
  }
  const fresh = await mintSession(secret);
  c.set("sessionId", fresh.id);
  await next();
  // A copy: the handler's Response may have immutable headers (a stream, a cached answer).
  c.res = new Response(c.res.body, c.res);
  // A handler that rotated the session (sign-in, sign-out) has set its own cookie.
  if (c.get("sessionId") === fresh.id) c.res.headers.append("set-cookie", sessionCookie(c, fresh.cookie));
};

function sessionCookie(c: Context<AppEnv>, value: string): string {
  return serialize(SESSION_COOKIE, value, { httpOnly: true, sameSite: "Lax", secure: new URL(c.req.url).protocol === "https:", path: "/", maxAge: ONE_YEAR_S });
}

/**
 * Replaces the request's anonymous session with a fresh one, cookie
 * included: at sign-in (the battles so far are merged into the account)
 * and at sign-out, so a signed-out browser keeps nothing of the account.
 */
export async function rotateAnonymousSession(c: Context<AppEnv>): Promise<string> {
  const fresh = await mintSession(arenaSecret(c.env));
  c.set("sessionId", fresh.id);
  c.header("set-cookie", sessionCookie(c, fresh.cookie), { append: true });
  return fresh.id;
}

/**
 * The client's IP as Cloudflare saw it. Only `CF-Connecting-IP`, which the
 * edge sets and a client cannot override; `X-Forwarded-For` is whatever the
 * client wrote. Requests without it (local tools) share one bucket.
 */
export const clientIp: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("clientIp", c.req.header("cf-connecting-ip")?.trim() || "unknown");
  return next();
};
