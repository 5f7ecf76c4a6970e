/**
 * The caller's own data: `GET /api/v1/me`, their battles
 * (`GET /api/v1/me/battles`, `GET|DELETE /api/v1/me/battles/{id}`), their
 * personal leaderboard, the download of all their data, settings, passkey
 * removal and account deletion. Signed out, the battle routes answer for
 * the anonymous session's own battles; the account routes need a sign-in.
 * Nothing here is cached by anyone: `cache-control: no-store, private`.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { MeResponse } from "../../src/accounts/wire";
import {
  accountViewSchema,
  deleteAccountRequest,
  historyDetailSchema,
  historyPageSchema,
  historyQuery,
  meResponseSchema,
  personalLeaderboardSchema,
  settingsRequest,
} from "../../src/accounts/wire-schemas";
import { ArenaError } from "../../src/errors";
import { accountView, deleteAccount, removePasskey, updateSettings } from "../accounts/account";
import { currentSessionExpiry, endAuthSession } from "../accounts/auth-session";
import { exportData } from "../accounts/export";
import { deleteHistoryBattle, historyCounts, historyDetail, listHistory, personalLeaderboard, type Owner } from "../accounts/history";
import type { AppEnv } from "../app-env";
import { configOf } from "../config";
import { failure, jsonAnswer } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { rotateAnonymousSession } from "../http/session";

const PRIVATE = { "cache-control": "no-store, private" };
const battleParams = z.object({ id: z.string().max(64).openapi({ param: { name: "id", in: "path" } }) });
const passkeyParams = z.object({ id: z.string().max(1024).openapi({ param: { name: "id", in: "path" } }) });
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const errors = { 400: failure("Invalid input"), 401: failure("Sign in first"), 404: failure("No such battle, or not yours") };

function ownerOf(c: Context<AppEnv>): Owner {
  return { sessionId: c.get("sessionId"), accountId: c.get("accountId") ?? null };
}

function signedIn(c: Context<AppEnv>): string {
  const accountId = c.get("accountId");
  if (!accountId) throw new ArenaError("unauthorized", "sign in first");
  return accountId;
}

export function registerMeRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({ method: "get", path: "/api/v1/me", summary: "Who you are here, and how many battles and votes you have", responses: { 200: jsonAnswer("You", meResponseSchema) } }),
    async (c) => {
      const owner = ownerOf(c);
      const counts = await historyCounts(c.env, owner);
      const expiry = await currentSessionExpiry(c);
      const body: MeResponse = {
        signedIn: owner.accountId !== null,
        ...(owner.accountId ? { account: await accountView(c.env, owner.accountId), sessionExpiresAt: expiry ?? 0 } : {}),
        ...counts,
        oauth: { github: configOf(c.env).oauth.github !== null, google: configOf(c.env).oauth.google !== null },
      };
      return c.json(body, 200, PRIVATE);
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/me/battles",
      summary: "Your battles, newest first: search the prompts and answers, filter by category or vote",
      request: { query: historyQuery },
      responses: { 200: jsonAnswer("A page of your battles", historyPageSchema), 400: errors[400] },
    }),
    async (c) => c.json(await listHistory(c.env, ownerOf(c), c.req.valid("query")), 200, PRIVATE),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/me/battles/{id}",
      summary: "One of your battles in full",
      request: { params: battleParams },
      responses: { 200: jsonAnswer("The battle", historyDetailSchema), 404: errors[404] },
    }),
    async (c) => c.json(await historyDetail(c.env, ownerOf(c), c.req.valid("param").id), 200, PRIVATE),
  );

  route(
    app,
    createRoute({
      method: "delete",
      path: "/api/v1/me/battles/{id}",
      summary: "Delete one of your battles from your history (its vote stays in the public record, unlinked)",
      request: { params: battleParams },
      responses: { 204: { description: "Deleted" }, 404: errors[404], 409: failure("Still generating or being saved; try again") },
    }),
    async (c) => {
      await deleteHistoryBattle(c.env, ownerOf(c), c.req.valid("param").id);
      return c.body(null, 204, PRIVATE);
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/me/leaderboard",
      summary: "Your personal leaderboard, from your own counted votes",
      responses: { 200: jsonAnswer("Your leaderboard (rows only from the minimum number of votes)", personalLeaderboardSchema) },
    }),
    async (c) => c.json(await personalLeaderboard(c.env, ownerOf(c)), 200, PRIVATE),
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/me/export",
      summary: "Download all your data as JSON",
      responses: { 200: jsonAnswer("Everything linked to you", z.record(z.string(), z.unknown())) },
    }),
    async (c) => {
      const data = await exportData(c.env, ownerOf(c));
      const day = new Date(data.exportedAt).toISOString().slice(0, 10);
      return c.json(data, 200, { ...PRIVATE, "content-disposition": `attachment; filename="edge-arena-data-${day}.json"` });
    },
  );

  route(
    app,
    createRoute({
      method: "patch",
      path: "/api/v1/me/settings",
      summary: "Allow, or stop allowing, your conversations in the open dataset",
      request: { body: json(settingsRequest) },
      responses: { 200: jsonAnswer("Your account", accountViewSchema), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await updateSettings(c.env, signedIn(c), c.req.valid("json").publishConversations), 200, PRIVATE),
  );

  route(
    app,
    createRoute({
      method: "delete",
      path: "/api/v1/me/passkeys/{id}",
      summary: "Remove one of your passkeys (not the last one)",
      request: { params: passkeyParams },
      responses: { 204: { description: "Removed" }, 401: errors[401], 404: failure("No such passkey"), 409: failure("The account's only passkey") },
    }),
    async (c) => {
      await removePasskey(c.env, signedIn(c), c.req.valid("param").id);
      return c.body(null, 204, PRIVATE);
    },
  );

  route(
    app,
    createRoute({
      method: "delete",
      path: "/api/v1/me",
      summary: "Delete your account and your conversations; your votes stay counted, unlinked from you",
      request: { body: json(deleteAccountRequest) },
      responses: { 204: { description: "Deleted" }, 400: errors[400], 401: errors[401], 409: failure("A battle is still being saved; try again") },
    }),
    async (c) => {
      await deleteAccount(c.env, signedIn(c));
      await endAuthSession(c, true);
      await rotateAnonymousSession(c);
      return c.body(null, 204, PRIVATE);
    },
  );
}
