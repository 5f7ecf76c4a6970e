/**
 * Online Elo, the secondary leaderboard column. Unlike Bradley-Terry it
 * depends on vote order, so it is folded one vote at a time in time order;
 * the state is a plain object the cron can persist and resume.
 *
 * K = 4 follows LMArena's online Elo (a small K because each model gets
 * thousands of votes, so the rating drifts slowly and recency matters little).
 */
import type { VoteOutcome } from "./types";
import { portableExp } from "./portable-math";

/** Serialisable Elo state: persist it between cron runs. */
export interface EloState {
  k: number;
  initial: number;
  ratings: Record<string, number>;
  votes: number;
}

/** Fresh state; `k` defaults to 4 and `initial` to 1000. */
export function createEloState(k = 4, initial = 1000): EloState {
  return { k, initial, ratings: {}, votes: 0 };
}

/**
 * Updates `state` in place with one vote: expected score
 * 1/(1 + 10^((r_b − r_a)/400)), actual 1, 0 or ½ (tie and both-bad alike).
 *
 * @example const s = createEloState(); foldEloVote(s, "m1", "m2", "a"); s.ratings // { m1: 1002, m2: 998 }
 */
export function foldEloVote(state: EloState, modelA: string, modelB: string, winner: VoteOutcome): void {
  const ra = state.ratings[modelA] ?? state.initial;
  const rb = state.ratings[modelB] ?? state.initial;
  // 10^x through the portable exp, so the Elo column folds to the same bits in every engine.
  const expected = 1 / (1 + portableExp(((rb - ra) / 400) * Math.LN10));
  const actual = winner === "a" ? 1 : winner === "b" ? 0 : 0.5;
  const delta = state.k * (actual - expected);
  state.ratings[modelA] = ra + delta;
  state.ratings[modelB] = rb - delta;
  state.votes++;
}

/**
 * Elo over a whole ordered list of votes (oldest first), for one-off runs
 * such as the CLI; the cron folds with {@link foldEloVote} instead.
 *
 * @example computeElo([{ modelA: "m1", modelB: "m2", winner: "a" }]).ratings // { m1: 1002, m2: 998 }
 */
export function computeElo(
  votes: Iterable<{ modelA: string; modelB: string; winner: VoteOutcome }>,
  k = 4,
  initial = 1000,
): EloState {
  const state = createEloState(k, initial);
  for (const vote of votes) foldEloVote(state, vote.modelA, vote.modelB, vote.winner);
  return state;
}
