/**
 * Maximum-likelihood fit of the (contextual) Bradley-Terry model on aggregated
 * rows, by damped Newton's method.
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
 *
 * Why Newton: the log-likelihood is concave and smooth, so Newton with a
 * backtracking line search converges globally and quadratically near the
 * optimum; a handful of iterations reach a gradient norm of 1e-9, where
 * FastChat's L-BFGS with maxiter=100 stops early. The Hessian is singular
 * along "shift every rating of a component by a constant"; adding the
 * all-ones block of each component (scaled to the block's diagonal) makes it
 * definite without changing the step, because the gradient is orthogonal to
 * those directions (see Hunter 2004, "MM algorithms for generalized
 * Bradley-Terry models", for the parametrisation and existence conditions).
 */
import { choleskyInPlace, choleskySolveInPlace } from "./linalg";

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

/** Parameters and convergence record of a fit. */
export interface FitResult {
  /** Log-strengths, centred to mean 0 within each component. */
  beta: Float64Array;
  gamma: Float64Array;
  iterations: number;
  gradientNorm: number;
  /** NaN from {@link fitWithFixedInformation}, whose callers do not need it. */
  logLikelihood: number;
}

interface Evaluation {
  logLikelihood: number;
  gradient: Float64Array;
  /** Negative Hessian (information), (n+d)², or empty when not requested. */
  information: Float64Array;
}

const MAX_ITERATIONS = 100;

/**
 * Fits β (and γ when d > 0) to a gradient norm ≤ `tolerance`, starting from
 * `start` when given (warm start for bootstrap rounds).
 */
export function fitBradleyTerry(data: FitData, tolerance = 1e-9, start?: FitResult): FitResult {
  const size = data.n + data.d;
  const theta = new Float64Array(size);
  if (start) {
    theta.set(start.beta, 0);
    theta.set(start.gamma, data.n);
  }
  let current = evaluate(data, theta, true);
  let iterations = 0;
  while (norm(current.gradient) > tolerance && iterations < MAX_ITERATIONS) {
    const step = newtonStep(data, current);
    if (!step) break;
    let t = 1;
    let accepted: Evaluation | null = null;
    const candidate = new Float64Array(size);
    for (let halvings = 0; halvings < 40; halvings++) {
      for (let k = 0; k < size; k++) candidate[k] = theta[k]! + t * step[k]!;
      // The full step is almost always accepted, so evaluate it with the
      // information matrix the next iteration needs; shorter trials skip it.
      const trial = evaluate(data, candidate, halvings === 0);
      const slack = 1e-12 * Math.max(1, Math.abs(current.logLikelihood));
      if (trial.logLikelihood >= current.logLikelihood - slack) {
        accepted = trial;
        break;
      }
      t /= 2;
    }
    iterations++;
    if (!accepted) break;
    theta.set(candidate);
    // Centring moves along the likelihood's flat directions: value, gradient
    // and information are unchanged, so the trial's evaluation stays valid.
    centreWithinComponents(theta, data);
    current = t === 1 ? accepted : evaluate(data, theta, true);
  }
  return {
    beta: theta.slice(0, data.n),
    gamma: theta.slice(data.n),
    iterations,
    gradientNorm: norm(current.gradient),
    logLikelihood: current.logLikelihood,
  };
}

/**
 * Fits like {@link fitBradleyTerry} but with one fixed, already factorised
 * Newton matrix (a chord method): each iteration costs one gradient and two
 * triangular solves instead of a new information matrix and its Cholesky
 * factorisation. Bootstrap rounds use the point fit's matrix, whose
 * information differs from a resample's by O(1/√votes), so each iteration
 * still gains about a digit. Returns null when progress stalls (a resample
 * far from the original), and the caller falls back to full Newton.
 */
export function fitWithFixedInformation(
  data: FitData,
  factor: Float64Array,
  start: FitResult,
  tolerance = 1e-9,
): FitResult | null {
  const size = data.n + data.d;
  const theta = new Float64Array(size);
  theta.set(start.beta, 0);
  theta.set(start.gamma, data.n);
  // No line search here, so the log-likelihood is computed once, at the end.
  let current = evaluate(data, theta, false, false);
  let gradientNorm = norm(current.gradient);
  let iterations = 0;
  while (gradientNorm > tolerance) {
    if (iterations >= MAX_ITERATIONS) return null;
    const step = current.gradient.slice();
    choleskySolveInPlace(factor, size, step);
    for (let k = 0; k < size; k++) theta[k]! += step[k]!;
    centreWithinComponents(theta, data);
    const next = evaluate(data, theta, false, false);
    const nextNorm = norm(next.gradient);
    iterations++;
    if (!(nextNorm < 0.5 * gradientNorm) && nextNorm > tolerance) return null;
    current = next;
    gradientNorm = nextNorm;
  }
  return {
    beta: theta.slice(0, data.n),
    gamma: theta.slice(data.n),
    iterations,
    gradientNorm,
    logLikelihood: Number.NaN,
  };
}

/**
 * Information matrix (negative Hessian) at θ with each component's all-ones
 * block added, factorised: the "bread" of the sandwich and Newton's matrix.
 * Returns null if it is not positive definite.
 */
export function regularisedInformation(data: FitData, information: Float64Array): Float64Array | null {
  const size = data.n + data.d;
  const m = information.slice();
  const diagonalSum = new Float64Array(data.components);
  const members = new Float64Array(data.components);
  for (let a = 0; a < data.n; a++) {
    diagonalSum[data.component[a]!]! += m[a * size + a]!;
    members[data.component[a]!]!++;
  }
  for (let a = 0; a < data.n; a++) {
    const c = data.component[a]!;
    const scale = Math.max(diagonalSum[c]! / members[c]!, 1e-12);
    for (let b = 0; b < data.n; b++) {
      if (data.component[b] === c) m[a * size + b]! += scale;
    }
  }
  return choleskyInPlace(m, size) ? m : null;
}

function newtonStep(data: FitData, at: Evaluation): Float64Array | null {
  const factor = regularisedInformation(data, at.information);
  if (!factor) return null;
  const step = at.gradient.slice();
  choleskySolveInPlace(factor, data.n + data.d, step);
  return step;
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
    // One exponential serves both log p, log(1 − p) and p without overflow.
    const e = Math.exp(-Math.abs(eta));
    if (withLogLikelihood) {
      const softplus = Math.max(eta, 0) + Math.log1p(e);
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

/** Shifts β so that each component has mean 0; the likelihood is unchanged. */
function centreWithinComponents(theta: Float64Array, data: FitData): void {
  const sum = new Float64Array(data.components);
  const count = new Float64Array(data.components);
  for (let a = 0; a < data.n; a++) {
    sum[data.component[a]!]! += theta[a]!;
    count[data.component[a]!]!++;
  }
  for (let a = 0; a < data.n; a++) theta[a]! -= sum[data.component[a]!]! / count[data.component[a]!]!;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
  return Math.sqrt(s);
}
