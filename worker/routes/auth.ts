/**
 * Sign-in with passkeys:
 *
 * - `POST /api/v1/auth/passkeys/options` → options to create a passkey (a new
 *   account when signed out; another passkey of the account when signed in);
 * - `POST /api/v1/auth/passkeys` `{response, name?}` → stores it; a new
 *   account is signed in, its anonymous battles merged;
 * - `POST /api/v1/auth/signin/options`, then `POST /api/v1/auth/signin`
 *   `{response}` → signed in, the anonymous battles merged;
 * - `GET /api/v1/auth/oauth/{github|google}/start` and `…/callback`: the same
 *   with GitHub or Google, when configured (worker/accounts/oauth.ts);
 * - `POST /api/v1/auth/signout`, `POST /api/v1/auth/signout-everywhere`.
 *
 * Same-origin and JSON only, rate-limited per session and per IP
 * (worker/app.ts). Signing in rotates both the sign-in token and the
 * anonymous session; signing out rotates the anonymous session, so a
 * signed-out browser keeps nothing of the account.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { RegistrationResponseJSON, AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { SignedInResponse } from "../../src/accounts/wire";
import { emptyRequest, registerPasskeyRequest, signedInResponseSchema, signInRequest, webauthnOptionsSchema } from "../../src/accounts/wire-schemas";
import { ArenaError } from "../../src/errors";
import { accountView, mergeSession } from "../accounts/account";
import { currentSessionExpiry, endAuthSession, startAuthSession } from "../accounts/auth-session";
import { finishOAuth, startOAuth } from "../accounts/oauth";
import { authenticationOptions, registerPasskey, registrationOptions, verifySignIn } from "../accounts/passkeys";
import type { AppEnv } from "../app-env";
import { failure, jsonAnswer } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { rotateAnonymousSession } from "../http/session";

const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const errors = {
  400: failure("Invalid input"),
  401: failure("The passkey could not be verified, or the attempt expired"),
  403: failure("Not from the arena's own pages"),
  429: failure("Too many attempts; see Retry-After"),
};

/** Signs the account in on this browser and merges the anonymous session's battles. */
async function signIn(c: Context<AppEnv>, accountId: string): Promise<SignedInResponse> {
  const sessionExpiresAt = await startAuthSession(c, accountId);
  const battles = await mergeSession(c.env, c.get("sessionId"), accountId);
  await rotateAnonymousSession(c);
  return { account: await accountView(c.env, accountId), sessionExpiresAt, merged: { battles } };
}

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/auth/passkeys/options",
      summary: "Options to create a passkey (a new account, or another passkey of yours)",
      request: { body: json(emptyRequest) },
      responses: { 200: jsonAnswer("PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create", webauthnOptionsSchema), ...errors },
    }),
    async (c) => c.json(await registrationOptions(c), 200, { "cache-control": "no-store" }),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/auth/passkeys",
      summary: "Store a new passkey; a new account is signed in",
      request: { body: json(registerPasskeyRequest) },
      responses: { 201: jsonAnswer("Signed in", signedInResponseSchema), ...errors, 409: failure("The passkey is already registered") },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { accountId, created } = await registerPasskey(c, body.response as unknown as RegistrationResponseJSON, body.name);
      if (created) return c.json(await signIn(c, accountId), 201);
      const sessionExpiresAt = (await currentSessionExpiry(c)) ?? 0;
      return c.json({ account: await accountView(c.env, accountId), sessionExpiresAt, merged: { battles: 0 } } satisfies SignedInResponse, 201);
    },
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/auth/signin/options",
      summary: "Options to sign in with a passkey",
      request: { body: json(emptyRequest) },
      responses: { 200: jsonAnswer("PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get", webauthnOptionsSchema), ...errors },
    }),
    async (c) => c.json(await authenticationOptions(c), 200, { "cache-control": "no-store" }),
  );

  route(
    app,
    createRoute({
      method: "post",
      path: "/api/v1/auth/signin",
      summary: "Sign in with a passkey",
      request: { body: json(signInRequest) },
      responses: { 200: jsonAnswer("Signed in", signedInResponseSchema), ...errors },
    }),
    async (c) => c.json(await signIn(c, await verifySignIn(c, c.req.valid("json").response as unknown as AuthenticationResponseJSON)), 200),
  );

  const provider = z.object({ provider: z.enum(["github", "google"]).openapi({ param: { name: "provider", in: "path" } }) });
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/auth/oauth/{provider}/start",
      summary: "Sign in with GitHub or Google (only when configured): redirects to the provider",
      request: { params: provider },
      responses: { 302: { description: "To the provider's authorization page" }, 404: failure("Not configured on this arena") },
    }),
    async (c) => c.redirect(await startOAuth(c, c.req.valid("param").provider), 302),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/auth/oauth/{provider}/callback",
      summary: "Where the provider sends the browser back; signs in and redirects to the account page",
      request: { params: provider, query: z.object({ code: z.string().max(2048).optional(), state: z.string().max(256).optional(), error: z.string().max(256).optional() }) },
      responses: { 302: { description: "To /account, signed in, or with `oauthError` saying why not" }, 404: failure("Not configured on this arena") },
    }),
    async (c) => {
      const name = c.req.valid("param").provider;
      try {
        await signIn(c, await finishOAuth(c, name, c.req.valid("query")));
        return c.redirect(`/account?signedIn=${name}`, 302);
      } catch (error) {
        if (!(error instanceof ArenaError) || error.code === "not_found") throw error;
        return c.redirect(`/account?oauthError=${encodeURIComponent(error.message)}`, 302);
      }
    },
  );

  for (const everywhere of [false, true]) {
    route(
      app,
      createRoute({
        method: "post",
        path: everywhere ? "/api/v1/auth/signout-everywhere" : "/api/v1/auth/signout",
        summary: everywhere ? "Sign out on every device" : "Sign out on this browser",
        request: { body: json(emptyRequest) },
        responses: { 204: { description: "Signed out" }, ...errors },
      }),
      async (c) => {
        if (everywhere && !c.get("accountId")) throw new ArenaError("unauthorized", "not signed in");
        await endAuthSession(c, everywhere);
        await rotateAnonymousSession(c);
        return c.body(null, 204);
      },
    );
  }
}
