/**
 * Optional sign-in with GitHub or Google: the OAuth 2.0 authorization-code
 * flow with PKCE (S256), through arctic's OAuth2Client, on only when the
 * provider's client id and secret are set (worker/config.ts).
 *
 * The flow's state travels in a short-lived HttpOnly cookie signed with the
 * arena's secret, bound to the provider and to the anonymous session that
 * started it: a callback with another state, another provider, another
 * session or after ten minutes is refused. The provider's stable user id
 * (GitHub's numeric `id`, OpenID Connect's `sub`) is the identity; the
 * first sign-in creates an account (or, signed in, links the identity to
 * the current one). Nothing else of the provider's profile is stored.
 */
import { CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client } from "arctic";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ArenaError } from "../../src/errors";
import type { AppEnv } from "../app-env";
import { configOf, type OAuthProvider, type OAuthProviderName } from "../config";
import { accounts, oauthIdentities } from "../db/accounts-schema";
import { arenaSecret, hmacKey, sign, verify } from "../keys";

export const OAUTH_COOKIE = "arena_oauth";
const FLOW_TTL_S = 600;
const PURPOSE = "oauth:";
const SCOPES: Record<OAuthProviderName, string[]> = { github: [], google: ["openid"] };

interface Flow {
  provider: OAuthProviderName;
  state: string;
  verifier: string;
  sessionId: string;
  expiresAt: number;
}

function providerOf(c: Context<AppEnv>, name: OAuthProviderName): OAuthProvider {
  const provider = configOf(c.env).oauth[name];
  if (!provider) throw new ArenaError("not_found", `sign-in with ${name} is not configured on this arena`);
  return provider;
}

function clientOf(c: Context<AppEnv>, name: OAuthProviderName, provider: OAuthProvider): OAuth2Client {
  return new OAuth2Client(provider.clientId, provider.clientSecret, `${new URL(c.req.url).origin}/api/v1/auth/oauth/${name}/callback`);
}

/** The provider's authorization URL to redirect to; the flow's state is set in a signed cookie. */
export async function startOAuth(c: Context<AppEnv>, name: OAuthProviderName): Promise<string> {
  const provider = providerOf(c, name);
  const flow: Flow = { provider: name, state: generateState(), verifier: generateCodeVerifier(), sessionId: c.get("sessionId"), expiresAt: Date.now() + FLOW_TTL_S * 1000 };
  const payload = btoa(JSON.stringify(flow));
  const mac = await sign(await hmacKey(arenaSecret(c.env)), PURPOSE + payload);
  setCookie(c, OAUTH_COOKIE, `${payload}.${mac}`, {
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    path: "/api/v1/auth/oauth/",
    maxAge: FLOW_TTL_S,
  });
  return clientOf(c, name, provider).createAuthorizationURLWithPKCE(provider.authorizeUrl, flow.state, CodeChallengeMethod.S256, flow.verifier, SCOPES[name]).toString();
}

async function flowOf(c: Context<AppEnv>): Promise<Flow | null> {
  const cookie = getCookie(c, OAUTH_COOKIE) ?? "";
  const dot = cookie.lastIndexOf(".");
  if (dot < 0 || !(await verify(await hmacKey(arenaSecret(c.env)), PURPOSE + cookie.slice(0, dot), cookie.slice(dot + 1)))) return null;
  try {
    return JSON.parse(atob(cookie.slice(0, dot))) as Flow;
  } catch {
    return null;
  }
}

/** The provider's stable user id for an access token. */
async function subjectOf(name: OAuthProviderName, provider: OAuthProvider, accessToken: string): Promise<string> {
  const response = await fetch(provider.userUrl, {
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": "edge-arena" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new ArenaError("unauthorized", `${name} did not say who signed in (HTTP ${response.status})`);
  const user = (await response.json()) as { id?: unknown; sub?: unknown };
  const subject = name === "github" ? user.id : user.sub;
  if ((typeof subject !== "string" && typeof subject !== "number") || String(subject).length === 0 || String(subject).length > 255) {
    throw new ArenaError("unauthorized", `${name} answered without a user id`);
  }
  return String(subject);
}

/**
 * Completes the flow: checks the state against the cookie, exchanges the
 * code (with the PKCE verifier), and returns the account of the identity —
 * found, linked to the signed-in account, or newly created.
 */
export async function finishOAuth(c: Context<AppEnv>, name: OAuthProviderName, query: { code?: string; state?: string; error?: string }): Promise<string> {
  const provider = providerOf(c, name);
  const flow = await flowOf(c);
  deleteCookie(c, OAUTH_COOKIE, { path: "/api/v1/auth/oauth/" });
  if (query.error) throw new ArenaError("unauthorized", `${name} sign-in was not completed (${query.error.slice(0, 100)})`);
  if (!flow || flow.provider !== name || flow.state !== query.state || flow.sessionId !== c.get("sessionId") || flow.expiresAt <= Date.now()) {
    throw new ArenaError("unauthorized", "this sign-in attempt expired or did not start here; start again");
  }
  if (!query.code) throw new ArenaError("invalid_request", "the provider sent no code");
  let accessToken: string;
  try {
    accessToken = (await clientOf(c, name, provider).validateAuthorizationCode(provider.tokenUrl, query.code, flow.verifier)).accessToken();
  } catch (error) {
    throw new ArenaError("unauthorized", `${name} refused the sign-in: ${error instanceof Error ? error.message.slice(0, 200) : "unknown error"}`);
  }
  const subject = await subjectOf(name, provider, accessToken);
  const db = drizzle(c.env.DB);
  const known = await db
    .select({ accountId: oauthIdentities.accountId })
    .from(oauthIdentities)
    .where(and(eq(oauthIdentities.provider, name), eq(oauthIdentities.subject, subject)))
    .get();
  if (known) return known.accountId;
  const current = c.get("accountId");
  if (current) {
    await db.insert(oauthIdentities).values({ provider: name, subject, accountId: current });
    return current;
  }
  const accountId = crypto.randomUUID();
  await db.batch([db.insert(accounts).values({ id: accountId }), db.insert(oauthIdentities).values({ provider: name, subject, accountId })]);
  return accountId;
}
