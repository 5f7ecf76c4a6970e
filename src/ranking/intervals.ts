/**
 * Uncertainty of the fitted ratings: robust (sandwich) standard errors by
 * default, a seeded multinomial bootstrap on request.
 */
import { withVirtualTies, type Design } from "./design";
import { fitBradleyTerry, fitWithFixedInformation, regularisedInformation, type FitResult } from "./fit";
import { evaluate, type FitData } from "./likelihood";
import { choleskyInverse } from "./linalg";
import { createRandom, sampleMultinomial } from "./random";
import { portableExp } from "./portable-math";

/**
 * Huber-White sandwich standard errors of (β, γ), in natural-log units.
 *
 * cov = A⁺ B A⁺, with A the information matrix and B the sum over votes of
 * the outer products of per-vote scores s = w·(y − p)·x (x = e_i − e_j + f,
 * y ∈ {1, 0, ½}). Votes in a row share x and p, so B needs only the counts per
 * outcome: B = Σ_rows w²·[winI(1−p)² + winJ·p² + half(½−p)²]·x·xᵀ. Robust to
 * the misspecification that counting ties as half-wins introduces; LMArena
 * moved its leaderboard to these errors in 2025. A⁺ is the inverse on the
 * sum-zero subspace of each component, which is what centring imposes.
 */
export function sandwichStandardErrors(data: FitData, fit: FitResult): Float64Array {
  const { n, d, rows } = data;
  const size = n + d;
  const theta = new Float64Array(size);
  theta.set(fit.beta, 0);
  theta.set(fit.gamma, n);
  const factor = regularisedInformation(data, evaluate(data, theta, true).information);
  if (!factor) return new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const inverse = choleskyInverse(factor, size);
  const meat = new Float64Array(size * size);
  const x = new Float64Array(size);
  for (let r = 0; r < rows; r++) {
    const a = data.i[r]!;
    const b = data.j[r]!;
    let eta = theta[a]! - theta[b]!;
    for (let k = 0; k < d; k++) eta += data.features[r * d + k]! * theta[n + k]!;
    const p = 1 / (1 + portableExp(-eta));
    const w = data.weight[r]!;
    const v = w * w * (data.winI[r]! * (1 - p) ** 2 + data.winJ[r]! * p * p + data.half[r]! * (0.5 - p) ** 2);
    if (v === 0) continue;
    x[a] = 1;
    x[b] = -1;
    for (let k = 0; k < d; k++) x[n + k] = data.features[r * d + k]!;
    const support = [a, b];
    for (let k = 0; k < d; k++) support.push(n + k);
    for (const s of support) for (const t of support) meat[s * size + t]! += v * x[s]! * x[t]!;
    if (data.scatter.length > 0) {
      // Votes of a grouped style row also differ in f: their scores add
      // (y − p)²·(f − f̄)(f − f̄)ᵀ, taken at the row's mean squared residual.
      const perVote = v / (data.winI[r]! + data.winJ[r]! + data.half[r]!);
      for (let k = 0; k < d; k++) {
        for (let l = 0; l < d; l++) meat[(n + k) * size + n + l]! += perVote * data.scatter[(r * d + k) * d + l]!;
      }
    }
    x[a] = 0;
    x[b] = 0;
  }
  // Only the diagonal of A⁺BA⁺ is needed: var_k = Σ_t (A⁺B)_kt · A⁺_tk.
  const se = new Float64Array(size);
  const row = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    row.fill(0);
    for (let s = 0; s < size; s++) {
      const m = inverse[k * size + s]!;
      if (m === 0) continue;
      for (let t = 0; t < size; t++) row[t]! += m * meat[s * size + t]!;
    }
    let variance = 0;
    for (let t = 0; t < size; t++) variance += row[t]! * inverse[t * size + k]!;
    se[k] = Math.sqrt(Math.max(variance, 0));
  }
  return se;
}

/** Percentile interval bounds per model, in natural-log units. */
export interface BootstrapBounds {
  lower: Float64Array;
  upper: Float64Array;
}

/**
 * Seeded multinomial bootstrap over votes, done on the aggregated cells.
 *
 * Resampling N votes with replacement is a Multinomial(N, observed cell
 * frequencies) draw over the (row, outcome) cells, so each round costs one
 * binomial per cell however many votes there are. Each round re-applies the
 * boundary virtual ties (a low-vote model can lose all its losses in a
 * resample) and refits from the point estimate, with the point fit's
 * information matrix as a fixed Newton matrix while that converges. Bounds are the 2.5 % and
 * 97.5 % percentiles of the centred round estimates (type-7 interpolation).
 */
export function bootstrapBounds(
  design: Design,
  fit: FitResult,
  rounds: number,
  seed: number | string,
  tolerance: number,
  onRound?: (done: number) => void,
): BootstrapBounds {
  const base = design.data;
  const { n, rows } = base;
  const cells = new Float64Array(rows * 3);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    cells[3 * r] = base.winI[r]!;
    cells[3 * r + 1] = base.winJ[r]!;
    cells[3 * r + 2] = base.half[r]!;
    total += base.winI[r]! + base.winJ[r]! + base.half[r]!;
  }
  const point = new Float64Array(base.n + base.d);
  point.set(fit.beta, 0);
  point.set(fit.gamma, base.n);
  const corrected = withVirtualTies(design, base).data;
  const factor = regularisedInformation(corrected, evaluate(corrected, point, true).information);
  const rng = createRandom(seed);
  const drawn = new Float64Array(cells.length);
  const estimates = new Float64Array(rounds * n);
  for (let round = 0; round < rounds; round++) {
    sampleMultinomial(rng, Math.round(total), cells, drawn);
    const resampled: FitData = {
      ...base,
      winI: new Float64Array(rows),
      winJ: new Float64Array(rows),
      half: new Float64Array(rows),
    };
    for (let r = 0; r < rows; r++) {
      resampled.winI[r] = drawn[3 * r]!;
      resampled.winJ[r] = drawn[3 * r + 1]!;
      resampled.half[r] = drawn[3 * r + 2]!;
    }
    if (base.scatter.length > 0) scaleMoments(base, resampled);
    const data = withVirtualTies(design, resampled).data;
    const refit =
      (factor && data.rows === corrected.rows ? fitWithFixedInformation(data, factor, fit, tolerance) : null) ??
      fitBradleyTerry(data, tolerance, fit);
    estimates.set(refit.beta, round * n);
    onRound?.(round + 1);
  }
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const column = new Float64Array(rounds);
  for (let m = 0; m < n; m++) {
    for (let round = 0; round < rounds; round++) column[round] = estimates[round * n + m]!;
    column.sort();
    lower[m] = quantile(column, 0.025);
    upper[m] = quantile(column, 0.975);
  }
  return { lower, upper };
}

/**
 * A grouped style row drawn m times instead of n keeps its mean feature;
 * its spread terms are scaled by m ÷ n, their expectation under resampling.
 */
function scaleMoments(base: FitData, resampled: FitData): void {
  const { d, rows } = base;
  resampled.linear = new Float64Array(base.linear.length);
  resampled.scatter = new Float64Array(base.scatter.length);
  for (let r = 0; r < rows; r++) {
    const before = base.winI[r]! + base.winJ[r]! + base.half[r]!;
    const after = resampled.winI[r]! + resampled.winJ[r]! + resampled.half[r]!;
    const ratio = before > 0 ? after / before : 0;
    for (let k = 0; k < d; k++) resampled.linear[r * d + k] = ratio * base.linear[r * d + k]!;
    for (let k = 0; k < d * d; k++) resampled.scatter[r * d * d + k] = ratio * base.scatter[r * d * d + k]!;
  }
}

/** Type-7 quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
