/**
 * The range of ranks a model could hold given the 95% intervals: the best is
 * 1 + the models certainly above it (their lower bound above its upper
 * bound, as the published rank), the worst is the number of models not
 * certainly below it. Only models of the same connected component are
 * compared, since ratings of separate components share no scale.
 */
import type { PublishedRow } from "../../../src/wire";

export interface RankRange {
  best: number;
  worst: number;
}

const low = (row: PublishedRow) => row.lower ?? -Infinity;
const high = (row: PublishedRow) => row.upper ?? Infinity;

/**
 * Rank ranges keyed by model id.
 *
 * @example
 *   rankRanges(rows).get("model-x") // { best: 2, worst: 4 }
 */
export function rankRanges(rows: readonly PublishedRow[]): Map<string, RankRange> {
  const ranges = new Map<string, RankRange>();
  for (const row of rows) {
    const peers = rows.filter((other) => other.component === row.component);
    const above = peers.filter((other) => low(other) > high(row)).length;
    const below = peers.filter((other) => high(other) < low(row)).length;
    ranges.set(row.modelId, { best: above + 1, worst: peers.length - below });
  }
  return ranges;
}
