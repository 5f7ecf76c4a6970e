/**
 * Style-control aggregates: a contextual Bradley-Terry fit over millions of
 * votes from a number of rows bounded by pairs × length buckets, not votes.
 *
 * Each vote contributes the normalised differences f = (A − B)/(A + B + 1) of
 * its four features (LMArena's style-control normalisation,
 * https://blog.lmarena.ai/blog/2024/style-control/). Votes of a pair are
 * grouped by a coarse bucket of the length difference, and each bucket keeps
 * the moments of f that a second-order expansion of the per-vote
 * log-likelihood around the bucket mean needs (see fit.ts):
 *   Σf, Σy·f (y = 1, ½, 0 for a win, tie, loss of A) and Σf·fᵀ.
 * Why not buckets of the full feature vector: at the few hundred votes per
 * pair of a real arena, a 4-d grid has about as many occupied cells as votes
 * (measured: 2M simulated votes on 129 models gave 1.16M cells), so nothing is
 * saved; with moments, a bucket can be wide and the rows stay few.
 *
 * The approximation error, measured against the exact per-vote fit (every
 * vote its own row, where the moment terms vanish) on 100k simulated votes
 * over 20 models folded into ≈ 1,500 rows, six runs (three seeds, verbosity
 * independent of or confounded with strength; style.test.ts asserts one):
 * the largest rating difference is 0.09 points (about 1/40 of those ratings'
 * standard error), γ for length agrees within 0.02 % and the markdown
 * coefficients within 0.5 %, and interval widths within 1.1 %.
 *
 * Every column is a sum over votes, so buckets merge by adding columns: an
 * arena too large for pairs × 9 rows can keep one row per pair (SUM … GROUP
 * BY pair), which in the same test moves ratings by at most 0.37 points.
 *
 * Exact sums: each normalised difference is rounded to a multiple of 2⁻¹²
 * ({@link STYLE_QUANTUM}) before it enters the moments, so every moment of a
 * vote is a multiple of 2⁻²⁴ no larger than 1 in magnitude, and every sum of
 * fewer than 2²⁹ votes is exact in a double. Sums then do not depend on the
 * order or grouping of the additions — one vote at a time in the CLI, chunks
 * of a thousand in the cron and added again in SQL, flagged votes subtracted
 * — which is what lets anyone recompute a published board to the last bit
 * from the vote log. D1 stores moments as integers in units of 2⁻²⁴
 * ({@link STYLE_MOMENT_UNIT}). The rounding moves a difference by at most
 * 1.2·10⁻⁴, far below anything the fit resolves.
 */
import type { StyleFeatures } from "../battle/style";
import { canonicalPair, flipOutcome, pairKey } from "./aggregate";
import type { StyleBucket, Vote, VoteOutcome } from "./types";

/** Feature order used in vectors, moments and `meta.gamma`. */
export const STYLE_FEATURES = ["tokens", "headers", "listItems", "bold"] as const;

/**
 * Names of the entries of {@link StyleBucket.moments}, in order, ready to be
 * D1 column names: 4 sums, 4 outcome-weighted sums, then the 10 products
 * f_k·f_l (k ≤ l).
 */
export const STYLE_MOMENT_NAMES: readonly string[] = (() => {
  const snake = ["tokens", "headers", "list_items", "bold"];
  const names = [...snake.map((f) => `sum_${f}`), ...snake.map((f) => `win_${f}`)];
  for (let k = 0; k < 4; k++) for (let l = k; l < 4; l++) names.push(`sq_${snake[k]}_${snake[l]}`);
  return names;
})();

/**
 * Width of a length bucket in units of the normalised token difference
 * (range −1..1): nine buckets, from "B at least 4× longer" to "A at least 4×
 * longer". Changing it changes bucket keys: re-fold the votes.
 */
export const STYLE_BUCKET_WIDTH = 0.25;

/** Resolution of a normalised style difference in the moments: 2⁻¹². */
export const STYLE_QUANTUM = 1 / 4096;
/** Moments are stored in D1 as integer multiples of this: 2⁻²⁴. */
export const STYLE_MOMENT_UNIT = STYLE_QUANTUM * STYLE_QUANTUM;

/** A moment as the integer D1 stores (exact: every moment is a multiple of the unit). */
export function momentToStored(moment: number): number {
  return moment / STYLE_MOMENT_UNIT;
}

/** A stored integer back to the moment it is. */
export function storedToMoment(stored: number): number {
  return stored * STYLE_MOMENT_UNIT;
}

/** A normalised difference rounded to {@link STYLE_QUANTUM}. */
function quantise(x: number): number {
  // Symmetric around zero, so swapping the sides of a vote negates every moment exactly.
  const q = Math.round(Math.abs(x) / STYLE_QUANTUM) * STYLE_QUANTUM;
  return x < 0 ? 0 - q : q;
}

/** Normalised differences (a − b)/(a + b + 1) of the four style features. */
export function styleDifference(a: StyleFeatures, b: StyleFeatures): [number, number, number, number] {
  const d = (x: number, y: number): number => (x - y) / (x + y + 1);
  return [d(a.tokens, b.tokens), d(a.headers, b.headers), d(a.listItems, b.listItems), d(a.bold, b.bold)];
}

/**
 * Bucket key of a vote: its length difference rounded to
 * {@link STYLE_BUCKET_WIDTH}, as a signed integer. Rounding is symmetric
 * around zero, so swapping the sides of a vote negates the key.
 *
 * @example styleBucketKey({ tokens: 300, headers: 2, listItems: 0, bold: 1 }, { tokens: 100, headers: 0, listItems: 0, bold: 1 })
 * // "2"
 */
export function styleBucketKey(a: StyleFeatures, b: StyleFeatures): string {
  return bucketOf(quantise(styleDifference(a, b)[0]));
}

function bucketOf(tokenDifference: number): string {
  const q = Math.round(Math.abs(tokenDifference) / STYLE_BUCKET_WIDTH);
  return String(q === 0 ? 0 : Math.sign(tokenDifference) * q);
}

function score(outcome: VoteOutcome): number {
  return outcome === "a" ? 1 : outcome === "b" ? 0 : 0.5;
}

/**
 * The increment one vote adds to its style bucket, in canonical pair order:
 * one count is 1 and the moments are the vote's own. Upsert on
 * (category, modelA, modelB, bucket), adding every numeric column.
 *
 * @throws RangeError when the vote has no style features.
 */
export function styleBucketDelta(vote: Vote): StyleBucket {
  if (!vote.styleA || !vote.styleB) {
    throw new RangeError(`vote ${vote.modelA} vs ${vote.modelB} has no style features`);
  }
  const pair = canonicalPair(vote.modelA, vote.modelB);
  const [first, second] = pair.swapped ? [vote.styleB, vote.styleA] : [vote.styleA, vote.styleB];
  const f = styleDifference(first, second).map(quantise) as [number, number, number, number];
  const outcome = pair.swapped ? flipOutcome(vote.winner) : vote.winner;
  const y = score(outcome);
  const moments = [...f, ...f.map((x) => (y === 0 ? 0 : y * x))];
  for (let k = 0; k < 4; k++) for (let l = k; l < 4; l++) moments.push(f[k]! * f[l]!);
  return {
    modelA: pair.modelA,
    modelB: pair.modelB,
    bucket: bucketOf(f[0]),
    winsA: outcome === "a" ? 1 : 0,
    winsB: outcome === "b" ? 1 : 0,
    ties: outcome === "tie" ? 1 : 0,
    bothBad: outcome === "bothbad" ? 1 : 0,
    moments,
  };
}

/** Map key of a style bucket row. */
export function styleBucketRowKey(row: Pick<StyleBucket, "modelA" | "modelB" | "bucket">): string {
  return `${pairKey(row.modelA, row.modelB)}\u0000${row.bucket}`;
}

/**
 * Folds one vote into an in-memory style aggregate keyed by
 * {@link styleBucketRowKey} (the CLI and tests; the cron does it in SQL).
 */
export function foldStyleVote(into: Map<string, StyleBucket>, vote: Vote): void {
  const delta = styleBucketDelta(vote);
  const key = styleBucketRowKey(delta);
  const row = into.get(key);
  if (!row) {
    into.set(key, delta);
    return;
  }
  row.winsA += delta.winsA;
  row.winsB += delta.winsB;
  row.ties += delta.ties;
  row.bothBad += delta.bothBad;
  for (let k = 0; k < row.moments.length; k++) row.moments[k]! += delta.moments[k]!;
}
