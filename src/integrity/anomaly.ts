/**
 * Anomalous voters: the test of the Chatbot Arena paper (Chiang et al., 2024,
 * "Chatbot Arena: An Open Platform for Evaluating LLMs by Human Preference",
 * §5: detecting anomalous users), made exact for discrete outcomes and given
 * a one-sided companion aimed at bots that favour one model.
 *
 * Each vote gets a p-value against the history of its pair, and a voter's
 * p-values are combined with Fisher's method: under "this voter votes like
 * the crowd", −2·Σ ln pᵢ follows a χ² law with 2k degrees of freedom when
 * the pᵢ are uniform. Two families of tests are run on the same votes:
 * - the paper's two-sided test: how rare the vote's outcome is on its pair;
 * - for each model the voter saw at least `minVotes` times, a one-sided
 *   test: how favourable to that model the vote's outcome is (loss < draw <
 *   win). A bot that recognises its model and always votes for it keeps
 *   getting small p-values here even where the crowd favours that model.
 * The voter's p-value is the smallest of these, times their number
 * (Bonferroni, valid whatever their dependence), so an honest voter is
 * flagged with probability at most `alpha`.
 *
 * Why randomised p-values: with three outcomes, a rank p-value gives the
 * crowd's most common outcome p = 1 and the others coarse steps, so it is
 * conservative: an honest voter's mean −2 ln p is under the 2 of the χ²
 * null, and a bot voting for a mid-table model averages under 2 as well, so
 * more votes make it look more ordinary (docs/rigging-benchmark.md). The
 * standard fix for discrete tests is the randomised p-value
 * p = P(more extreme) + U·P(as extreme), U uniform on (0, 1]: it is exactly
 * uniform under the null, which makes Fisher's method exact. Here the
 * probabilities are ranks among the pair's history plus the vote itself
 * (pooled, as a permutation test: the vote and the history are exchangeable
 * under the null), so p is uniform on (0, 1] without any asymptotics.
 *
 * Other rules:
 * - The voter's own votes are taken out of the history first, so a voter
 *   who dominates a thin pair cannot make their own votes look normal.
 * - Ties and "both bad" are one outcome here, as in the fit (both count as
 *   half a win each way).
 */
import { canonicalPair, pairKey, type PairCounts, type VoteOutcome } from "../ranking";
import { createRandom } from "../ranking/random";

/** One of a voter's votes, as the anomaly test sees it. */
export interface VoterVote {
  /** The vote's identity (the cron uses its seq): with the key, it fixes the vote's randomisation. */
  id: string;
  modelA: string;
  modelB: string;
  winner: VoteOutcome;
  /** True when the vote is already part of the history it is tested against. */
  inHistory: boolean;
}

export interface AnomalyOptions {
  /** A voter whose combined p-value is below this is flagged. */
  alpha: number;
  /** Voters with fewer tested votes are not judged (too little evidence either way); also the votes a model needs for its one-sided test. */
  minVotes: number;
  /** Votes on pairs with less history than this (after removing the voter's own) are not tested. */
  minPairHistory: number;
}

/** Defaults: a per-voter false-positive rate of at most 0.1 %. */
export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = { alpha: 0.001, minVotes: 10, minPairHistory: 20 };

export interface VoterVerdict {
  /** Votes that entered the test. */
  tested: number;
  /** The smallest p-value of the voter's tests times their number, at most 1 (1 when nothing was tested). */
  pValue: number;
  flagged: boolean;
}

/** Outcome of a vote seen from the canonical pair: first model wins, second wins, or a draw. */
export type PairOutcome = "first" | "second" | "draw";
type Counts = Record<PairOutcome, number>;
const OUTCOMES = ["first", "second", "draw"] as const;

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
 * The vote's uniform draw U in (0, 1], a pure function of a secret key and
 * the vote's identity, so verdicts are the same on every run and can be
 * audited by whoever holds the key. Keyed because a voter who could compute
 * U could keep only the votes whose U is large (abandon the others) and
 * look ordinary; the cron's key is derived from the arena's secret by HMAC
 * (worker/integrity/anomalous-voters.ts), and identities are vote seqs,
 * assigned by the database. The mixing is the repository's PRNG
 * (xoshiro128** seeded through FNV-1a and splitmix32), not a cryptographic
 * PRF: enough since U is never published and the key is secret.
 */
export function voteUniform(key: string, id: string): number {
  return 1 - createRandom(`anomaly:${key}:${id}`).next();
}

/**
 * Randomised p-value of the two-sided test: the chance that a vote drawn
 * from the pooled counts (history plus this vote) is rarer than this one,
 * plus U times the chance that it is as rare. Uniform on (0, 1] under the
 * null; with u = 1 it is the classic (conservative) rank p-value.
 *
 * @example outcomePValue({ first: 90, second: 8, draw: 2 }, "second", 1) // (2 + 9) / 101
 */
export function outcomePValue(history: Counts, outcome: PairOutcome, u: number): number {
  const pooled = { ...history, [outcome]: history[outcome] + 1 };
  const n = pooled.first + pooled.second + pooled.draw;
  let rarer = 0;
  let asRare = 0;
  for (const k of OUTCOMES) {
    if (pooled[k] < pooled[outcome]) rarer += pooled[k];
    else if (pooled[k] === pooled[outcome]) asRare += pooled[k];
  }
  return (rarer + u * asRare) / n;
}

/**
 * Randomised p-value of the one-sided test for the model on side `side` of
 * the canonical pair: the chance that a pooled vote is more favourable to
 * it (draw over loss, win over draw), plus U times the chance that it is as
 * favourable. A win therefore gets U·P(win): small whenever the crowd does
 * not nearly always pick that model.
 *
 * @example favourPValue({ first: 50, second: 30, draw: 20 }, "first", "first", 1) // 51 / 101
 */
export function favourPValue(history: Counts, outcome: PairOutcome, side: "first" | "second", u: number): number {
  const pooled = { ...history, [outcome]: history[outcome] + 1 };
  const n = pooled.first + pooled.second + pooled.draw;
  const other = side === "first" ? "second" : "first";
  const better = outcome === side ? 0 : outcome === "draw" ? pooled[side] : pooled[side] + pooled.draw;
  const same = outcome === side ? pooled[side] : outcome === "draw" ? pooled.draw : pooled[other];
  return (better + u * same) / n;
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

function outcomeCounts(row: PairCounts | undefined): Counts {
  if (!row) return { first: 0, second: 0, draw: 0 };
  return { first: row.winsA, second: row.winsB, draw: row.ties + row.bothBad };
}

/**
 * Tests one voter's votes against the pair history (canonical rows keyed by
 * `pairKey`, e.g. the cron's folded `pair_counts` of the overall category);
 * `key` is the secret of `voteUniform`.
 */
export function testVoter(votes: readonly VoterVote[], history: ReadonlyMap<string, PairCounts>, options: AnomalyOptions, key: string): VoterVerdict {
  // The voter's own votes per pair, to take out of the history.
  const own = new Map<string, Counts>();
  for (const vote of votes) {
    if (!vote.inHistory) continue;
    const pair = historyKey(vote);
    const counts = own.get(pair) ?? { first: 0, second: 0, draw: 0 };
    counts[pairOutcome(vote)] += 1;
    own.set(pair, counts);
  }
  const twoSided: number[] = [];
  const favour = new Map<string, number[]>();
  const addFavour = (model: string, p: number): void => {
    const list = favour.get(model) ?? [];
    list.push(p);
    favour.set(model, list);
  };
  for (const vote of votes) {
    const pair = historyKey(vote);
    const counts = outcomeCounts(history.get(pair));
    const mine = own.get(pair);
    if (mine) for (const k of OUTCOMES) counts[k] = Math.max(0, counts[k] - mine[k]);
    if (counts.first + counts.second + counts.draw < options.minPairHistory) continue;
    const u = voteUniform(key, vote.id);
    const outcome = pairOutcome(vote);
    const { modelA: first, modelB: second } = canonicalPair(vote.modelA, vote.modelB);
    twoSided.push(outcomePValue(counts, outcome, u));
    addFavour(first, favourPValue(counts, outcome, "first", u));
    addFavour(second, favourPValue(counts, outcome, "second", u));
  }
  // Which models get a one-sided test depends only on the pairs shown, not on the votes' outcomes.
  const tests = [fisherCombine(twoSided)];
  for (const list of favour.values()) if (list.length >= options.minVotes) tests.push(fisherCombine(list));
  const pValue = Math.min(1, Math.min(...tests) * tests.length);
  return { tested: twoSided.length, pValue, flagged: twoSided.length >= options.minVotes && pValue < options.alpha };
}
