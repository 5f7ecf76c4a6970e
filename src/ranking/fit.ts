/**
 * Maximum-likelihood fit of the (contextual) Bradley-Terry model on aggregated
 * rows, by damped Newton's method.
 *
 * Why Newton: the log-likelihood is concave and smooth, so Newton with a
 * backtracking line search converges globally and quadratically near the
 * optimum; a handful of iterations reach a gradient norm of 1e-9, where
 * FastChat's fit, capped at maxiter=100, can stop early. The Hessian is singular
 * along "shift every rating of a component by a constant"; adding the
 * all-ones block of each component (scaled to the block's diagonal) makes it
 * definite without changing the step, because the gradient is orthogonal to
 * those directions (see Hunter 2004, "MM algorithms for generalized
 * Bradley-Terry models", for the parametrisation and existence conditions).
 * The likelihood itself is in likelihood.ts.
 */
import { choleskyInPlace, choleskySolveInPlace } from "./linalg";
import { evaluate, type Evaluation, type FitData } from "./likelihood";

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
