/**
 * Signed-in sessions, server-side: the `arena_auth` cookie carries 256
 * random bits; D1 keeps only their SHA-256 with the account and an expiry,
 * so a copy of the database signs nobody in, and signing out (or out
 * everywhere) is deleting rows. Every sign-in issues a new token and
 * deletes the one the browser presented (rotation: a token planted before
 * sign-in is worth nothing after it).
 *
 * The cookie is HttpOnly, SameSite=Lax and Secure on https; state-changing
 * account routes are also same-origin only and JSON only (worker/app.ts),
 * which together stop cross-site request forgery.
 */
import { and, eq, gt, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { serialize } from "hono/utils/cookie";
import type { AppEnv } from "../app-env";
import { authSessions } from "../db/accounts-schema";

export const AUTH_COOKIE = "arena_auth";
/** How long a sign-in lasts. */
export const AUTH_SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The stored form of a token: hex SHA-256. */
export async function tokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Sign-ins found in D1, held briefly in isolate memory so a signed-in
 * browser's battle does not wait on a D1 read before its first token. Only
 * valid sign-ins are held, for at most a minute (and never past their
 * expiry); signing out or deleting the account drops them here at once, and
 * other isolates within that minute. Bounded: the oldest entries go first.
 */
const SIGN_IN_CACHE_MS = 60_000;
const SIGN_IN_CACHE_MAX = 10_000;
const signIns = new Map<string, { accountId: string; validUntil: number }>();

function cachedSignIn(hash: string, now: number): string | undefined {
  const entry = signIns.get(hash);
  if (entry && entry.validUntil > now) return entry.accountId;
  signIns.delete(hash);
  return undefined;
}

function holdSignIn(hash: string, accountId: string, expiresAt: number, now: number): void {
  if (signIns.size >= SIGN_IN_CACHE_MAX) signIns.delete(signIns.keys().next().value!);
  signIns.set(hash, { accountId, validUntil: Math.min(expiresAt, now + SIGN_IN_CACHE_MS) });
}

/** Drops held sign-ins: one token's, or every one of an account. */
export function forgetSignIns(match: { hash?: string; accountId?: string }): void {
  if (match.hash) signIns.delete(match.hash);
  if (match.accountId) for (const [hash, entry] of signIns) if (entry.accountId === match.accountId) signIns.delete(hash);
}

/**
 * Sets `accountId` (null when signed out, expired or forged) and
 * `authTokenHash` for the handlers. Reading a session never extends it.
 */
export const signedInAccount: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "OPTIONS" || c.get("accountId") !== undefined) return next();
  c.set("accountId", null);
  c.set("authTokenHash", null);
  const token = getCookie(c, AUTH_COOKIE);
  if (token && TOKEN.test(token)) {
    const hash = await tokenHash(token);
    const now = Date.now();
    let accountId = cachedSignIn(hash, now);
    if (accountId === undefined) {
      const row = await drizzle(c.env.DB)
        .select({ accountId: authSessions.accountId, expiresAt: authSessions.expiresAt })
        .from(authSessions)
        .where(and(eq(authSessions.tokenHash, hash), gt(authSessions.expiresAt, now)))
        .get();
      if (row) holdSignIn(hash, row.accountId, row.expiresAt, now);
      accountId = row?.accountId;
    }
    if (accountId !== undefined) {
      c.set("accountId", accountId);
      c.set("authTokenHash", hash);
    }
  }
  return next();
};

/**
 * Signs the account in on this browser: a new token (the presented one, if
 * any, is deleted), stored hashed with its expiry, and its cookie. Expired
 * sessions of the account are swept on the way.
 */
export async function startAuthSession(c: Context<AppEnv>, accountId: string): Promise<number> {
  const db = drizzle(c.env.DB);
  const token = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const now = Date.now();
  const expiresAt = now + AUTH_SESSION_TTL_MS;
  const presented = getCookie(c, AUTH_COOKIE);
  const presentedHash = presented && TOKEN.test(presented) ? await tokenHash(presented) : "-";
  await db.batch([
    db.delete(authSessions).where(and(eq(authSessions.accountId, accountId), lt(authSessions.expiresAt, now))),
    db.delete(authSessions).where(eq(authSessions.tokenHash, presentedHash)),
    db.insert(authSessions).values({ tokenHash: await tokenHash(token), accountId, createdAt: now, expiresAt }),
  ]);
  forgetSignIns({ hash: presentedHash });
  setAuthCookie(c, token, Math.floor(AUTH_SESSION_TTL_MS / 1000));
  c.set("accountId", accountId);
  return expiresAt;
}

/** When this browser's sign-in expires (ms since the epoch), or null when it is not signed in. */
export async function currentSessionExpiry(c: Context<AppEnv>): Promise<number | null> {
  const hash = c.get("authTokenHash");
  if (!hash) return null;
  const row = await drizzle(c.env.DB).select({ expiresAt: authSessions.expiresAt }).from(authSessions).where(eq(authSessions.tokenHash, hash)).get();
  return row?.expiresAt ?? null;
}

/** Ends this browser's sign-in (or, with `everywhere`, every sign-in of the account) and clears the cookie. */
export async function endAuthSession(c: Context<AppEnv>, everywhere: boolean): Promise<void> {
  const db = drizzle(c.env.DB);
  const accountId = c.get("accountId");
  const hash = c.get("authTokenHash");
  if (everywhere && accountId) await db.delete(authSessions).where(eq(authSessions.accountId, accountId));
  else if (hash) await db.delete(authSessions).where(eq(authSessions.tokenHash, hash));
  forgetSignIns({ hash: hash ?? undefined, accountId: everywhere ? (accountId ?? undefined) : undefined });
  setAuthCookie(c, "", 0);
  c.set("accountId", null);
  c.set("authTokenHash", null);
}

function setAuthCookie(c: Context<AppEnv>, value: string, maxAge: number): void {
  c.header(
    "set-cookie",
    serialize(AUTH_COOKIE, value, { httpOnly: true, sameSite: "Lax", secure: new URL(c.req.url).protocol === "https:", path: "/", maxAge }),
    { append: true },
  );
}
