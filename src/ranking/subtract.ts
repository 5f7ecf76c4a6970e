/**
 * Taking votes back out of the ranking aggregates.
 *
 * The cron folds every counted vote into `pair_counts` and `style_buckets`
 * and never un-folds one: a voter flagged as anomalous is left out at publish
 * time instead, by folding that voter's votes with the same functions
 * ({@link foldVote}, {@link foldStyleVote}) and subtracting the result here.
 * Every aggregate column is a sum, so the difference is exactly the aggregate
 * of the remaining votes, and nothing has to be written back (no race with an
 * overlapping fold).
 */
import { canonicalPair, pairKey, pairTotal } from "./aggregate";
import { styleBucketRowKey } from "./style";
import type { PairCounts, StyleBucket } from "./types";

/** Bucket name of a style row merged over all length buckets of its pair (as the publisher's SQL names it). */
export const MERGED_STYLE_BUCKET = "*";

function subtractCounts<T extends PairCounts>(row: T, minus: PairCounts, what: string): T {
  const out = { ...row, winsA: row.winsA - minus.winsA, winsB: row.winsB - minus.winsB, ties: row.ties - minus.ties, bothBad: row.bothBad - minus.bothBad };
  if (out.winsA < 0 || out.winsB < 0 || out.ties < 0 || out.bothBad < 0) {
    // Only possible if the removed votes were never folded into these rows: a bug, never rounded away.
    throw new RangeError(`removing votes from ${what} leaves negative counts`);
  }
  return out;
}

function missing(keys: Iterable<string>, seen: Set<string>, what: string): void {
  for (const key of keys) if (!seen.has(key)) throw new RangeError(`removed ${what} ${JSON.stringify(key)} has no aggregate row`);
}

/**
 * Pair rows minus the counts in `minus` (keyed by {@link pairKey}); rows left
 * with no votes disappear.
 *
 * @throws RangeError when `minus` holds votes the rows do not (the two are out of step).
 * @example subtractPairCounts(rows, flaggedPairs) // the rows as if the flagged votes had never been cast
 */
export function subtractPairCounts(rows: readonly PairCounts[], minus: ReadonlyMap<string, PairCounts>): PairCounts[] {
  if (minus.size === 0) return [...rows];
  const seen = new Set<string>();
  const out: PairCounts[] = [];
  for (const row of rows) {
    const key = pairKey(row.modelA, row.modelB);
    const delta = minus.get(key);
    if (delta) seen.add(key);
    const left = delta ? subtractCounts(row, delta, `pair ${row.modelA}/${row.modelB}`) : row;
    if (pairTotal(left) > 0) out.push(left);
  }
  missing(minus.keys(), seen, "pair");
  return out;
}

/**
 * Style buckets minus the buckets in `minus` (keyed by
 * {@link styleBucketRowKey}); buckets left with no votes disappear, and the
 * moments of the rest are the sums over their remaining votes.
 *
 * @throws RangeError when `minus` holds votes the rows do not.
 */
export function subtractStyleBuckets(rows: readonly StyleBucket[], minus: ReadonlyMap<string, StyleBucket>): StyleBucket[] {
  if (minus.size === 0) return [...rows];
  const seen = new Set<string>();
  const out: StyleBucket[] = [];
  for (const row of rows) {
    const key = styleBucketRowKey(row);
    const delta = minus.get(key);
    if (delta) seen.add(key);
    if (!delta) {
      out.push(row);
      continue;
    }
    const left = subtractCounts(row, delta, `style bucket ${row.modelA}/${row.modelB}/${row.bucket}`);
    if (pairTotal(left) === 0) continue;
    left.moments = row.moments.map((m, k) => m - delta.moments[k]!);
    out.push(left);
  }
  missing(minus.keys(), seen, "style bucket");
  return out;
}

/**
 * Style buckets summed over the length buckets of each pair, under the
 * bucket {@link MERGED_STYLE_BUCKET}: the shape the publisher reads a large
 * category in, so that removed votes can be subtracted from it too.
 */
export function mergeStyleBucketsPerPair(buckets: Iterable<StyleBucket>): Map<string, StyleBucket> {
  const out = new Map<string, StyleBucket>();
  for (const b of buckets) {
    const { modelA, modelB } = canonicalPair(b.modelA, b.modelB);
    const key = styleBucketRowKey({ modelA, modelB, bucket: MERGED_STYLE_BUCKET });
    const row = out.get(key);
    if (!row) {
      out.set(key, { ...b, bucket: MERGED_STYLE_BUCKET, moments: [...b.moments] });
      continue;
    }
    row.winsA += b.winsA;
    row.winsB += b.winsB;
    row.ties += b.ties;
    row.bothBad += b.bothBad;
    for (let k = 0; k < row.moments.length; k++) row.moments[k]! += b.moments[k]!;
  }
  return out;
}
