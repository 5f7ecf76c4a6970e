/**
 * Anomalous voters: the test of the Chatbot Arena paper (Chiang et al., 2024,
 * "Chatbot Arena: An Open Platform for Evaluating LLMs by Human Preference",
 * §5: detecting anomalous users).
 *
 * Each vote gets a p-value against the history of its pair (how often the
 * crowd gave an outcome at least as rare as this one), and a voter's p-values
 * are combined with Fisher's method: under "this voter votes like the crowd",
 * −2·Σ ln pᵢ follows a χ² law with 2k degrees of freedom. A voter whose
 * combined p-value falls under `alpha` is flagged.
 *
 * Why this shape:
 * - A bot that recognises a model and always votes for it keeps picking the
 *   outcome the crowd rarely picks on that model's weak pairs, so its
 *   p-values pile up near zero; an honest voter's do not.
 * - The per-vote p-value is a rank p-value over the pair's history
 *   ((1 + #history votes at least as rare) / (n + 1)), valid for discrete
 *   outcomes: an honest voter gets p ≤ t with probability at most t, so the
 *   share of honest voters flagged stays at or under `alpha`.
 * - The voter's own votes are taken out of the history first, so a voter
 *   who dominates a thin pair cannot make their own votes look normal.
 * - Ties and "both bad" are one outcome here, as in the fit (both count as
 *   half a win each way).
 */
import { canonicalPair, pairKey, type PairCounts, type VoteOutcome } from "../ranking";

/** One of a voter's votes, as the anomaly test sees it. */
export interface VoterVote {
  modelA: string;
  modelB: string;
  winner: VoteOutcome;
  /** True when the vote is already part of the history it is tested against. */
  inHistory: boolean;
}

export interface AnomalyOptions {
  /** A voter whose combined p-value is below this is flagged. */
  alpha: number;
  /** Voters with fewer tested votes are not judged (too little evidence either way). */
  minVotes: number;
  /** Votes on pairs with less history than this (after removing the voter's own) are not tested. */
  minPairHistory: number;
}

/** Defaults: a per-voter false-positive rate of at most 0.1 %. */
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = { alpha: 0.001, minVotes: 10, minPairHistory: 20 };

export interface VoterVerdict {
  /** Votes that entered the test. */
  tested: number;
  /** Fisher's combined p-value (1 when nothing was tested). */
  pValue: number;
  flagged: boolean;
}

/** Outcome of a vote seen from the canonical pair: first model wins, second wins, or a draw. */
type PairOutcome = "first" | "second" | "draw";

/** History key of a vote's pair, whichever side each model was shown on. */
function historyKey(vote: Pick<VoterVote, "modelA" | "modelB">): string {
  const { modelA, modelB } = canonicalPair(vote.modelA, vote.modelB);
  return pairKey(modelA, modelB);
}

function pairOutcome(vote: Pick<VoterVote, "modelA" | "modelB" | "winner">): PairOutcome {
  if (vote.winner === "tie" || vote.winner === "bothbad") return "draw";
  const { swapped } = canonicalPair(vote.modelA, vote.modelB);
  return (vote.winner === "a") !== swapped ? "first" : "second";
}

/**
 * The p-value of one outcome against a pair's counts: the chance that a
 * vote drawn like the history is at least as rare.
 *
 * @example outcomePValue({ first: 90, second: 8, draw: 2 }, "second") // (1 + 8 + 2) / 101
 */
export function outcomePValue(counts: Record<PairOutcome, number>, outcome: PairOutcome): number {
  const n = counts.first + counts.second + counts.draw;
  const own = counts[outcome];
  let asRare = 0;
  for (const k of ["first", "second", "draw"] as const) if (counts[k] <= own) asRare += counts[k];
  return (1 + asRare) / (n + 1);
}

/**
 * Fisher's method: the combined p-value of independent p-values, the upper
 * tail of χ² with 2k degrees of freedom at −2·Σ ln pᵢ. For even degrees of
 * freedom the tail has a closed form, e^(−x/2)·Σ_{i<k} (x/2)^i / i!, summed
 * here in log space so thousands of votes neither overflow nor underflow.
 */
export function fisherCombine(pValues: readonly number[]): number {
  const k = pValues.length;
  if (k === 0) return 1;
  let half = 0;
  for (const p of pValues) half -= Math.log(Math.max(p, Number.MIN_VALUE));
  if (half === 0) return 1;
  // log of the i-th term: −h + i·ln h − ln i!
  const logH = Math.log(half);
  let logTerm = -half;
  let max = logTerm;
  const logs = [logTerm];
  for (let i = 1; i < k; i++) {
    logTerm += logH - Math.log(i);
    logs.push(logTerm);
    if (logTerm > max) max = logTerm;
  }
  let sum = 0;
  for (const l of logs) sum += Math.exp(l - max);
  return Math.min(1, Math.exp(max + Math.log(sum)));
}

function outcomeCounts(row: PairCounts | undefined): Record<PairOutcome, number> {
  if (!row) return { first: 0, second: 0, draw: 0 };
  return { first: row.winsA, second: row.winsB, draw: row.ties + row.bothBad };
}

/**
 * Tests one voter's votes against the pair history (canonical rows keyed by
 * `pairKey`, e.g. the cron's folded `pair_counts` of the overall category).
 */
export function testVoter(votes: readonly VoterVote[], history: ReadonlyMap<string, PairCounts>, options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS): VoterVerdict {
  // The voter's own votes per pair, to take out of the history.
  const own = new Map<string, Record<PairOutcome, number>>();
  for (const vote of votes) {
    if (!vote.inHistory) continue;
    const key = historyKey(vote);
    const counts = own.get(key) ?? { first: 0, second: 0, draw: 0 };
    counts[pairOutcome(vote)] += 1;
    own.set(key, counts);
  }
  const pValues: number[] = [];
  for (const vote of votes) {
    const key = historyKey(vote);
    const counts = outcomeCounts(history.get(key));
    const mine = own.get(key);
    if (mine) for (const k of ["first", "second", "draw"] as const) counts[k] = Math.max(0, counts[k] - mine[k]);
    if (counts.first + counts.second + counts.draw < options.minPairHistory) continue;
    pValues.push(outcomePValue(counts, pairOutcome(vote)));
  }
  const pValue = fisherCombine(pValues);
  return { tested: pValues.length, pValue, flagged: pValues.length >= options.minVotes && pValue < options.alpha };
}
