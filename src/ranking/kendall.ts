/** Rank correlation, for comparing one ordering of models with another. */

/**
 * Kendall's tau-b of two paired samples: (concordant − discordant) pairs over
 * √((pairs − ties in x)·(pairs − ties in y)), so ties on either side neither
 * count for nor against. O(n²), fine for a board of a few hundred models.
 * Null with fewer than 2 items or when either sample is constant.
 *
 * @example
 * kendallTauB([1, 2, 3, 4], [1, 3, 2, 4]); // (5 − 1) / 6 = 0.667
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError("kendallTauB needs samples of equal length");
  let score = 0;
  let pairs = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      pairs++;
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      score += dx * dy;
    }
  }
  const denominator = Math.sqrt((pairs - tiesX) * (pairs - tiesY));
  return denominator === 0 ? null : score / denominator;
}
