/**
 * The account verbs: its view, the merge of an anonymous session at
 * sign-in, settings, passkey removal, and deleting the account.
 *
 * Battles belong to an account through `battles.account_id`; an anonymous
 * visitor's battles through their session (and no account). The merge moves
 * a session's battles to the account in D1, records the session in
 * `account_sessions` (so a battle row still in a Durable Object's outbox is
 * claimed when it lands, worker/db/record.ts), and tells the live battles
 * so they can be continued from the account's other devices.
 */
import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { AccountView } from "../../src/accounts/wire";
import { ArenaError } from "../../src/errors";
import { LIVE_STATE_RETENTION_MS } from "../battle/battle-session";
import { battleObject } from "../battle/service";
import { accounts, accountSessions, authChallenges, authSessions, oauthIdentities, passkeys } from "../db/accounts-schema";
import { forgetSignIns } from "./auth-session";
import { battles, battleTurns } from "../db/schema";

/** Live battles told about a merge or a deletion per request (each is a Durable Object call). */
export const LIVE_BATTLES_PER_REQUEST = 200;

/** The account as its owner sees it. */
export async function accountView(env: Env, accountId: string): Promise<AccountView> {
  const db = drizzle(env.DB);
  const [account, keys, sessions, identities] = await db.batch([
    db.select().from(accounts).where(eq(accounts.id, accountId)),
    db.select().from(passkeys).where(eq(passkeys.accountId, accountId)).orderBy(passkeys.createdAt),
    db.select({ n: count() }).from(authSessions).where(and(eq(authSessions.accountId, accountId), gt(authSessions.expiresAt, Date.now()))),
    db.select({ provider: oauthIdentities.provider }).from(oauthIdentities).where(eq(oauthIdentities.accountId, accountId)).orderBy(oauthIdentities.provider),
  ]);
  const row = account[0];
  if (!row) throw new ArenaError("unauthorized", "this account no longer exists; sign in again");
  return {
    id: row.id,
    createdAt: row.createdAt,
    publishConversations: row.publishConversations,
    publishSince: row.publishConversations ? row.publishSince : null,
    passkeys: keys.map((k) => ({ id: k.id, name: k.name, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, deviceType: k.deviceType, backedUp: k.backedUp })),
    sessions: sessions[0]?.n ?? 0,
    linked: identities.map((i) => i.provider),
  };
}

/** Moves the anonymous session's battles into the account; returns how many moved. */
export async function mergeSession(env: Env, sessionId: string, accountId: string): Promise<number> {
  const db = drizzle(env.DB);
  const [, moved] = await db.batch([
    db.insert(accountSessions).values({ sessionId, accountId, mergedAt: Date.now() }).onConflictDoNothing(),
    db
      .update(battles)
      .set({ accountId })
      .where(and(eq(battles.sessionId, sessionId), isNull(battles.accountId)))
      .returning({ id: battles.id }),
  ]);
  const live = await db
    .select({ id: battles.id })
    .from(battles)
    .where(and(eq(battles.sessionId, sessionId), eq(battles.accountId, accountId), gt(battles.createdAt, Date.now() - LIVE_STATE_RETENTION_MS)))
    .orderBy(sql`${battles.createdAt} desc`)
    .limit(LIVE_BATTLES_PER_REQUEST);
  await Promise.all(live.map((b) => battleObject(env, b.id)?.adopt(sessionId, accountId)));
  return moved.length;
}

/** Turns publishing of the owner's conversations on (from now on) or off. */
export async function updateSettings(env: Env, accountId: string, publishConversations: boolean): Promise<AccountView> {
  const db = drizzle(env.DB);
  const current = await db.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!current) throw new ArenaError("unauthorized", "this account no longer exists; sign in again");
  if (current.publishConversations !== publishConversations) {
    await db
      .update(accounts)
      .set({ publishConversations, publishSince: publishConversations ? Date.now() : null })
      .where(eq(accounts.id, accountId));
  }
  return accountView(env, accountId);
}

/** Removes a passkey of the account; the last one cannot go (the account would be locked). */
export async function removePasskey(env: Env, accountId: string, passkeyId: string): Promise<void> {
  const db = drizzle(env.DB);
  const [keys, identities] = await db.batch([
    db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.accountId, accountId)),
    db.select({ provider: oauthIdentities.provider }).from(oauthIdentities).where(eq(oauthIdentities.accountId, accountId)),
  ]);
  if (!keys.some((k) => k.id === passkeyId)) throw new ArenaError("not_found", "no such passkey");
  if (keys.length === 1 && identities.length === 0) {
    throw new ArenaError("conflict", "this is the account's only way to sign in: add another passkey before removing it, or delete the account");
  }
  await db.delete(passkeys).where(and(eq(passkeys.id, passkeyId), eq(passkeys.accountId, accountId)));
}

/**
 * Deletes the account and its conversations. Votes are an append-only
 * record and stay counted; their battles are unlinked from the account and
 * from the session, and the prompts and answers are deleted. Live state is
 * erased for the most recent battles first (every vote it still owes D1 is
 * written before); if one cannot be erased yet, nothing is deleted and the
 * owner is asked to try again.
 */
export async function deleteAccount(env: Env, accountId: string): Promise<{ battles: number }> {
  const db = drizzle(env.DB);
  const owned = await db
    .select({ id: battles.id, sessionId: battles.sessionId })
    .from(battles)
    .where(and(eq(battles.accountId, accountId), gt(battles.createdAt, Date.now() - LIVE_STATE_RETENTION_MS)))
    .orderBy(sql`${battles.createdAt} desc`)
    .limit(LIVE_BATTLES_PER_REQUEST);
  for (const battle of owned) {
    const forgotten = await battleObject(env, battle.id)?.forget({ sessionId: battle.sessionId ?? "", accountId });
    if (forgotten && !forgotten.ok && forgotten.error.code !== "not_found") throw new ArenaError("conflict", forgotten.error.message);
  }
  const mine = db.select({ id: battles.id }).from(battles).where(eq(battles.accountId, accountId));
  const [, unlinked] = await db.batch([
    db.delete(battleTurns).where(sql`${battleTurns.battleId} in ${mine}`),
    db.update(battles).set({ accountId: null, sessionId: null }).where(eq(battles.accountId, accountId)).returning({ id: battles.id }),
    db.delete(passkeys).where(eq(passkeys.accountId, accountId)),
    db.delete(authSessions).where(eq(authSessions.accountId, accountId)),
    db.delete(accountSessions).where(eq(accountSessions.accountId, accountId)),
    db.delete(authChallenges).where(eq(authChallenges.accountId, accountId)),
    db.delete(oauthIdentities).where(eq(oauthIdentities.accountId, accountId)),
    db.delete(accounts).where(eq(accounts.id, accountId)),
  ]);
  forgetSignIns({ accountId });
  return { battles: unlinked.length };
}
