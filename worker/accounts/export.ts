/**
 * "Download all my data": everything the arena keeps that is linked to the
 * caller, as one JSON document — the account and its settings, passkeys
 * (names and dates; the public keys and counters are the authenticator's
 * business), signed-in sessions (times only), and every battle with its
 * prompts, answers and vote. Models of an unvoted anonymous battle stay
 * hidden here too: the download must not be a way around anonymity.
 */
import type { AccountView, HistoryItem, HistoryTurn } from "../../src/accounts/wire";
import { accountView } from "./account";
import { historyWithTurns, type Owner } from "./history";

/** Battles in one download (newest first); `truncated` says when there are more. */
export const EXPORT_MAX_BATTLES = 2_000;

export interface DataExport {
  exportedAt: number;
  signedIn: boolean;
  account: AccountView | null;
  sessions: { createdAt: number; expiresAt: number }[];
  battles: (HistoryItem & { turnsDetail: HistoryTurn[] })[];
  truncated: boolean;
}

export async function exportData(env: Env, owner: Owner): Promise<DataExport> {
  const account = owner.accountId ? await accountView(env, owner.accountId) : null;
  const sessions = owner.accountId
    ? (
        await env.DB.prepare("SELECT created_at, expires_at FROM auth_sessions WHERE account_id = ? AND expires_at > ? ORDER BY created_at")
          .bind(owner.accountId, Date.now())
          .all<{ created_at: number; expires_at: number }>()
      ).results.map((s) => ({ createdAt: s.created_at, expiresAt: s.expires_at }))
    : [];
  const { battles, truncated } = await historyWithTurns(env, owner, EXPORT_MAX_BATTLES);
  return { exportedAt: Date.now(), signedIn: owner.accountId !== null, account, sessions, battles, truncated };
}
