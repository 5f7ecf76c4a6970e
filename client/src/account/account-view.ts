/**
 * Pure helpers of the account and history pages: API paths and query
 * strings, dates, and how a battle's vote reads in a list.
 */
import type { HistoryItem, PersonalLeaderboardResponse } from "../../../src/accounts/wire";

export interface HistoryFilters {
  q: string;
  category: string;
  voted: "" | "true" | "false";
}

/** `GET /api/v1/me/battles` with the filters that are set, and the cursor of the next page. */
export function historyPath(filters: HistoryFilters, cursor: string | null = null, limit = 20): string {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.category) params.set("category", filters.category);
  if (filters.voted) params.set("voted", filters.voted);
  if (cursor) params.set("cursor", cursor);
  params.set("limit", String(limit));
  return `/api/v1/me/battles?${params}`;
}

export const battlePath = (id: string) => `/api/v1/me/battles/${encodeURIComponent(id)}`;

/** A date and time in the reader's locale, e.g. "7 Dec 2026, 14:05". */
export function formatWhen(ms: number, locale?: string): string {
  return new Date(ms).toLocaleString(locale, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** How the battle's outcome reads: who won (by name once revealed), or that there is no vote yet. */
export function outcomeOf(item: Pick<HistoryItem, "vote" | "models">): string {
  if (!item.vote) return "Not voted yet";
  const name = (side: "a" | "b") => item.models?.[side]?.name ?? `Model ${side.toUpperCase()}`;
  const verdict =
    item.vote.winner === "a" ? `${name("a")} won` : item.vote.winner === "b" ? `${name("b")} won` : item.vote.winner === "tie" ? "Tie" : "Both were bad";
  return item.vote.counted ? verdict : `${verdict} (not counted: ${item.vote.reason?.replace(/_/g, " ") ?? "excluded"})`;
}

/** The personal board's agreement numbers in plain words. */
export function agreementText(board: PersonalLeaderboardResponse): string[] {
  const a = board.agreement;
  if (!a || a.rate === null || a.expected === null) return [];
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const lines = [
    `In ${a.battles} decisive votes you chose the model the public rates higher ${pct(a.rate)} of the time; the public board itself would predict ${pct(a.expected)}.`,
  ];
  if (a.rankCorrelation !== null) {
    const tau = a.rankCorrelation;
    const words = tau > 0.6 ? "very close to" : tau > 0.2 ? "fairly close to" : tau > -0.2 ? "unrelated to" : "the opposite of";
    lines.push(`Your order of the models you have seen is ${words} the public's (Kendall's τ = ${tau.toFixed(2)}).`);
  }
  return lines;
}

/** The WebAuthn error a user caused (cancelled the dialog, or no passkey here), as a friendly sentence; null for others. */
export function passkeyErrorText(error: unknown): string | null {
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "AbortError") return "The passkey request was cancelled or timed out. Try again when you are ready.";
  if (name === "InvalidStateError") return "This device already has a passkey for this account.";
  if (name === "NotSupportedError" || name === "SecurityError") return "This browser cannot use passkeys on this site.";
  return null;
}
