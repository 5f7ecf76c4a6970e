/**
 * Caps on counted votes: per session and per client IP per UTC day, and per
 * prompt over all time. A vote over a cap is still stored (nothing a user
 * does is lost), but it does not count, with a reason the audit publishes.
 *
 * Why these caps: a vote-rigging bot needs hundreds to thousands of counted
 * votes to move a model one rank (Min et al., ICML 2025); a person rarely
 * gives more than a few dozen in a day. Repeated prompts are capped because a
 * handful of prompts asked thousands of times (greetings, test strings,
 * scripted attacks) would otherwise weigh more than the long tail of real use;
 * LMArena caps its 0.1 % most repeated prompts for the same reason.
 */
import type { VoteExclusionReason } from "../battle/validity";

export interface VoteCaps {
  /** Counted votes per session per UTC day. */
  perSessionPerDay: number;
  /** Counted votes per client IP per UTC day. */
  perIpPerDay: number;
  /** Counted votes per (normalised) first prompt, over all time. */
  perPrompt: number;
}

/** One counter a counted vote must fit under. */
export interface QuotaClaim {
  /** Names the counter, e.g. `session:<id>:2026-12-04`. */
  key: string;
  limit: number;
  /** When the counter may be forgotten (ms since the epoch), or null to keep it. */
  expiresAt: number | null;
  /** What a vote over this cap is excluded as. */
  reason: Extract<VoteExclusionReason, "vote_cap" | "duplicate_prompt">;
}

const DAY_MS = 24 * 3600 * 1000;

/** The UTC day of `ms`, as `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The form a prompt is compared in for the duplicate cap: Unicode-normalised,
 * case-folded, whitespace collapsed, so trivial variants of one prompt count
 * as one.
 *
 * @example normalizePrompt("  Hello\n  WORLD ") // "hello world"
 */
export function normalizePrompt(prompt: string): string {
  return prompt.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * The counters a vote cast at `now` must fit under, the prompt's first: when
 * several caps are full, the prompt's reason is the one reported, since it
 * describes the battle rather than the voter.
 */
export function quotaClaims(
  voter: { sessionId: string; ipKey: string; promptHash: string },
  caps: VoteCaps,
  now: number,
): QuotaClaim[] {
  const day = utcDay(now);
  // Kept a day past the day's end so a vote landing just after midnight UTC still finds yesterday's counter.
  const endOfDay = Date.parse(`${day}T00:00:00Z`) + 2 * DAY_MS;
  return [
    { key: `prompt:${voter.promptHash}`, limit: caps.perPrompt, expiresAt: null, reason: "duplicate_prompt" },
    { key: `session:${voter.sessionId}:${day}`, limit: caps.perSessionPerDay, expiresAt: endOfDay, reason: "vote_cap" },
    { key: `ip:${voter.ipKey}:${day}`, limit: caps.perIpPerDay, expiresAt: endOfDay, reason: "vote_cap" },
  ];
}

/** The exclusion reason given which claims were granted, or null when all were. */
export function refusalReason(claims: QuotaClaim[], granted: boolean[]): QuotaClaim["reason"] | null {
  const refused = claims.find((_, k) => !granted[k]);
  return refused ? refused.reason : null;
}

/**
 * How many counter objects the caps are spread over. A counter lives in the
 * shard its key hashes to, so a vote touches at most three long-lived
 * objects instead of creating one per new session, IP and prompt (creating
 * an object is what a vote used to wait on). One object serves well over a
 * thousand small requests a second; 32 of them leave room far above any
 * arena's vote rate.
 */
export const QUOTA_SHARDS = 32;

/**
 * The shard a counter's key lives in: FNV-1a of the key, modulo `shards`.
 * Stable across releases, since moving a key would forget its count.
 *
 * @example quotaShard("prompt:ab12", 32) // a number in 0..31, always the same one
 */
export function quotaShard(key: string, shards = QUOTA_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < key.length; k++) {
    hash ^= key.charCodeAt(k);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** The claims grouped by shard, each with its index in `claims`, so answers can be put back in order. */
export function claimsByShard<T extends { key: string }>(claims: readonly T[], shards = QUOTA_SHARDS): Map<number, { index: number; claim: T }[]> {
  const groups = new Map<number, { index: number; claim: T }[]>();
  claims.forEach((claim, index) => {
    const shard = quotaShard(claim.key, shards);
    const group = groups.get(shard);
    if (group) group.push({ index, claim });
    else groups.set(shard, [{ index, claim }]);
  });
  return groups;
}
