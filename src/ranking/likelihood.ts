/**
 * The (contextual) Bradley-Terry log-likelihood on aggregated rows, with its
 * gradient and information matrix.
 *
 * Model, in natural-log units (ratings are 400/ln 10 times these):
 *   logit P(i beats j | vote v) = β_i − β_j + f_vᵀγ,
 * with ties and both-bad counted as half a win each way, optional per-row
 * weights, and an L2 penalty (l2/2)·|γ|² on the style coefficients only.
 *
 * A row groups votes of one pair. For plain rows every vote has the same
 * η, so the likelihood depends on the counts alone (exact). Style rows group
 * votes whose features differ; their log-likelihood Σ_v [y_v·η_v − log(1 + e^η_v)]
 * is expanded to second order around the row's mean η̄ = β_i − β_j + f̄ᵀγ:
 *   W·η̄ − n·log(1 + e^η̄) + uᵀγ − ½·p̄(1 − p̄)·γᵀSγ,
 * with u = Σy(f − f̄) and S = Σ(f − f̄)(f − f̄)ᵀ (the first-order term of the
 * softplus vanishes because Σ(f − f̄) = 0). The error is of third order in the
 * within-row spread of fᵀγ, which length buckets keep small (style.ts).
 */
import { portableExp, portableLog1p } from "./portable-math";

/** Aggregated rows ready for fitting; every array has one entry per row. */
export interface FitData {
  /** Number of models. */
  n: number;
  /** Number of context features per row (0 for plain Bradley-Terry). */
  d: number;
  rows: number;
  i: Int32Array;
  j: Int32Array;
  /** rows × d, row-major. */
  features: Float64Array;
  /** Votes won by i, won by j, and tied (tie + both-bad). */
  winI: Float64Array;
  winJ: Float64Array;
  half: Float64Array;
  /** Reweighting factor per row (1 without reweighting). */
  weight: Float64Array;
  /**
   * Style rows that group several votes: Σy·(f − f̄) (rows × d) and
   * Σ(f − f̄)(f − f̄)ᵀ (rows × d × d) around the row's mean feature f̄ (stored
   * in `features`). Empty for plain Bradley-Terry.
   */
  linear: Float64Array;
  scatter: Float64Array;
  /** Connected component of each model. */
  component: Int32Array;
  components: number;
  /** L2 penalty on γ. */
  l2: number;
}

/** The log-likelihood and its derivatives at one parameter vector. */
export interface Evaluation {
  logLikelihood: number;
  gradient: Float64Array;
  /** Negative Hessian (information), (n+d)², or empty when not requested. */
  information: Float64Array;
}

/**
 * Gradient at θ, with the log-likelihood unless `withLogLikelihood` is false
 * (then reported as NaN) and the information matrix if requested.
 */
export function evaluate(
  data: FitData,
  theta: Float64Array,
  withInformation: boolean,
  withLogLikelihood = true,
): Evaluation {
  const { n, d, rows, i, j, features, winI, winJ, half, weight, linear, scatter } = data;
  const size = n + d;
  const gradient = new Float64Array(size);
  const information = new Float64Array(withInformation ? size * size : 0);
  const moments = scatter.length > 0;
  const spread = new Float64Array(d);
  let logLikelihood = 0;
  for (let r = 0; r < rows; r++) {
    const a = i[r]!;
    const b = j[r]!;
    let eta = theta[a]! - theta[b]!;
    for (let k = 0; k < d; k++) eta += features[r * d + k]! * theta[n + k]!;
    const total = weight[r]! * (winI[r]! + winJ[r]! + half[r]!);
    if (total === 0) continue;
    const won = weight[r]! * (winI[r]! + half[r]! / 2);
    // log p and log(1 − p) without overflow for large |η|.
    // One exponential serves both log p, log(1 − p) and p without overflow; portable, so a board refits to the same bits in any engine.
    const e = portableExp(-Math.abs(eta));
    if (withLogLikelihood) {
      const softplus = Math.max(eta, 0) + portableLog1p(e);
      logLikelihood += won * (eta - softplus) - (total - won) * softplus;
    }
    const p = eta > 0 ? 1 / (1 + e) : e / (1 + e);
    const w = p * (1 - p);
    let residual = won - total * p;
    let h = total * w;
    if (moments) {
      // Second-order terms of a grouped style row (see the header comment);
      // spread = Sγ, q = γᵀSγ, and dw/dη = w(1 − 2p), d²w/dη² = w(1 − 6w).
      const omega = weight[r]!;
      let q = 0;
      for (let k = 0; k < d; k++) {
        let sg = 0;
        for (let l = 0; l < d; l++) sg += scatter[(r * d + k) * d + l]! * theta[n + l]!;
        spread[k] = sg;
        q += theta[n + k]! * sg;
      }
      let lin = 0;
      for (let k = 0; k < d; k++) lin += linear[r * d + k]! * theta[n + k]!;
      if (withLogLikelihood) logLikelihood += omega * (lin - 0.5 * w * q);
      residual -= 0.5 * omega * w * (1 - 2 * p) * q;
      h += 0.5 * omega * w * (1 - 6 * w) * q;
      for (let k = 0; k < d; k++) gradient[n + k]! += omega * (linear[r * d + k]! - w * spread[k]!);
      if (withInformation) addSpreadInformation(information, data, r, omega, w, p, spread);
    }
    gradient[a]! += residual;
    gradient[b]! -= residual;
    for (let k = 0; k < d; k++) gradient[n + k]! += residual * features[r * d + k]!;
    if (!withInformation) continue;
    information[a * size + a]! += h;
    information[b * size + b]! += h;
    information[a * size + b]! -= h;
    information[b * size + a]! -= h;
    for (let k = 0; k < d; k++) {
      const hf = h * features[r * d + k]!;
      information[a * size + n + k]! += hf;
      information[b * size + n + k]! -= hf;
      for (let l = 0; l <= k; l++) information[(n + k) * size + n + l]! += hf * features[r * d + l]!;
    }
  }
  if (!withLogLikelihood) logLikelihood = Number.NaN;
  for (let k = 0; k < d; k++) {
    const g = theta[n + k]!;
    logLikelihood -= (data.l2 / 2) * g * g;
    gradient[n + k]! -= data.l2 * g;
  }
  if (withInformation) symmetriseStyleBlock(information, data);
  return { logLikelihood, gradient, information };
}

/**
 * Information terms of a grouped style row beyond the h·x̄x̄ᵀ part: the
 * cross terms w'·(x̄vᵀ + vx̄ᵀ) with v = (0, Sγ), and w·S in the γ block.
 * Filled on the same sides as {@link evaluate} fills, then mirrored.
 */
function addSpreadInformation(
  information: Float64Array,
  data: FitData,
  r: number,
  omega: number,
  w: number,
  p: number,
  spread: Float64Array,
): void {
  const { n, d, features, scatter } = data;
  const size = n + d;
  const a = data.i[r]!;
  const b = data.j[r]!;
  const slope = omega * w * (1 - 2 * p);
  for (let k = 0; k < d; k++) {
    information[a * size + n + k]! += slope * spread[k]!;
    information[b * size + n + k]! -= slope * spread[k]!;
    for (let l = 0; l <= k; l++) {
      information[(n + k) * size + n + l]! +=
        slope * (features[r * d + k]! * spread[l]! + spread[k]! * features[r * d + l]!) +
        omega * w * scatter[(r * d + k) * d + l]!;
    }
  }
}

/** Mirrors the blocks filled on one side only in {@link evaluate}. */
function symmetriseStyleBlock(information: Float64Array, data: FitData): void {
  const { n, d } = data;
  const size = n + d;
  for (let k = 0; k < d; k++) {
    information[(n + k) * size + n + k]! += data.l2;
    for (let l = 0; l < k; l++) information[(n + l) * size + n + k] = information[(n + k) * size + n + l]!;
    for (let a = 0; a < n; a++) information[(n + k) * size + a] = information[a * size + n + k]!;
  }
}

