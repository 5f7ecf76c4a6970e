/**
 * A user's personal leaderboard: the public board nudged by the user's own
 * votes, and how close the user's taste is to the public's.
 *
 * The fit is a maximum a posteriori Bradley-Terry fit with a Gaussian prior on
 * each model's strength, centred on its public strength. With few votes the
 * prior dominates and the personal board stays near the public one; with many
 * consistent votes the user's own preferences win. The likelihood is the
 * public fit's (likelihood.ts): ties and both-bad count as half a win each way.
 */
import { RATING_CENTRE, RATING_SCALE } from "./leaderboard";
import { kendallTauB } from "./kendall";
import { evaluate, type FitData } from "./likelihood";
import { choleskyInPlace, choleskySolveInPlace } from "./linalg";
import { portableExp } from "./portable-math";
import type { Vote } from "./types";

/**
 * Counted votes needed before the personal board is shown: the threshold
 * Artificial Analysis uses for its personal leaderboard.
 */
export const PERSONAL_MIN_VOTES = 30;

/**
 * Prior standard deviation of a model's personal rating around its public
 * rating, in rating points. 100 points is the order of the shifts between a
 * model's overall and per-category public ratings, a fair guess at how far one
 * person's taste departs from the crowd's; a 100-point edge turns an even
 * match into 64 %. In natural-log units the prior's precision is
 * (RATING_SCALE / 100)² ≈ 3.0, as much information as about 12 evenly matched
 * votes (0.25 each): below that a model stays nearer its public rating than
 * the user's votes alone would put it. At the 30-vote threshold spread over
 * ten models (about six votes each) the prior still holds two thirds of the
 * weight, yet the board already reflects the user: one vote between evenly
 * rated models moves each by about 25 points. A narrower prior (50 points,
 * 48 votes' worth) would leave a 30-vote board almost the public one.
 */
export const PERSONAL_PRIOR_SD = 100;

/** One of the user's own counted votes (style features are not used here). */
export type PersonalVote = Pick<Vote, "modelA" | "modelB" | "winner">;

/** One model of the public board, on the arena's scale. */
export interface PublicRating {
  model: string;
  rating: number;
}

export interface PersonalRow {
  model: string;
  /** Personal rating: the public rating for a model the user never saw. */
  rating: number;
  /** Public rating, or null when the model is not on the public board (prior centre 1000). */
  publicRating: number | null;
  /** rating − publicRating (− 1000 for a model off the public board). */
  delta: number;
  /** The user's votes on this model, and its wins, losses and ties (tie + both-bad) in them. */
  votes: number;
  wins: number;
  losses: number;
  ties: number;
  /** Whether the user has voted on this model at least once. */
  seen: boolean;
  /** Whether the model is on the public board. */
  onPublicBoard: boolean;
}

/** How close the user's taste is to the public board's. */
export interface PersonalAgreement {
  /** Decisive (a/b) votes between two models of the public board: the ones `rate` and `expected` average over. */
  battles: number;
  /**
   * Fraction of those votes won by the model the public board rates higher
   * (a battle between two equally rated models counts half). Null without battles.
   */
  rate: number | null;
  /**
   * The rate the public board itself predicts for the same battles: the mean
   * of max(p, 1 − p), with p its win probability. A `rate` near `expected` is a
   * typical voter; far below it, a user whose taste departs from the crowd's.
   */
  expected: number | null;
  /**
   * Kendall's tau-b between personal and public ratings over the models the
   * user has seen that are on the public board; null with fewer than 2 of them
   * or when either side is all ties.
   */
  rankCorrelation: number | null;
}

export interface PersonalLeaderboard {
  /** The user's counted votes. */
  votes: number;
  minimumVotes: number;
  /** False below `minimumVotes`: the rows are computed but not to be shown. */
  shown: boolean;
  /** Sorted by rating descending, then model id. */
  rows: PersonalRow[];
  agreement: PersonalAgreement;
}

export interface PersonalOptions {
  /** Prior standard deviation in rating points (default {@link PERSONAL_PRIOR_SD}). */
  priorSd?: number;
}

const MAX_NEWTON_STEPS = 100;
const STEP_TOLERANCE = 1e-12;

/**
 * Fits the user's personal leaderboard from their votes and the public board.
 * Deterministic: the same votes in any order, or with sides swapped, give the
 * same bits.
 *
 * @example
 * const board = rankPersonalLeaderboard(
 *   [{ modelA: "m1", modelB: "m2", winner: "b" }],
 *   [{ model: "m1", rating: 1100 }, { model: "m2", rating: 1000 }, { model: "m3", rating: 900 }],
 * );
 * board.shown; // false: 1 vote < PERSONAL_MIN_VOTES
 * board.rows.map((r) => [r.model, Math.round(r.delta)]); // [["m1", -32], ["m2", 32], ["m3", 0]]
 * board.rows[2]!.seen; // false: m3 keeps its public rating
 */
export function rankPersonalLeaderboard(
  votes: readonly PersonalVote[],
  publicBoard: readonly PublicRating[],
  options: PersonalOptions = {},
): PersonalLeaderboard {
  const priorSd = options.priorSd ?? PERSONAL_PRIOR_SD;
  if (!(priorSd > 0) || !Number.isFinite(priorSd)) throw new RangeError(`prior sd must be positive, got ${priorSd}`);
  const publicRatings = new Map<string, number>();
  for (const { model, rating } of publicBoard) {
    if (!Number.isFinite(rating)) throw new RangeError(`public rating of ${model} is not finite`);
    if (publicRatings.has(model)) throw new RangeError(`${model} appears twice on the public board`);
    publicRatings.set(model, rating);
  }
  for (const v of votes) {
    if (v.modelA === v.modelB) throw new RangeError(`a vote compares ${v.modelA} with itself`);
  }
  const seen = [...new Set(votes.flatMap((v) => [v.modelA, v.modelB]))].sort(compareIds);
  const index = new Map(seen.map((m, k) => [m, k]));
  const data = aggregate(votes, index);
  const prior = Float64Array.from(seen, (m) => ((publicRatings.get(m) ?? RATING_CENTRE) - RATING_CENTRE) / RATING_SCALE);
  const beta = fitPosteriorMode(data, prior, (priorSd / RATING_SCALE) ** -2);

  const rows: PersonalRow[] = [];
  for (const model of new Set([...publicRatings.keys(), ...seen])) {
    const k = index.get(model);
    const publicRating = publicRatings.get(model) ?? null;
    const rating = k === undefined ? publicRating! : RATING_CENTRE + RATING_SCALE * beta[k]!;
    const [wins, losses, ties] = k === undefined ? [0, 0, 0] : [data.wins[k]!, data.losses[k]!, data.ties[k]!];
    rows.push({
      model,
      rating,
      publicRating,
      delta: rating - (publicRating ?? RATING_CENTRE),
      votes: wins + losses + ties,
      wins,
      losses,
      ties,
      seen: k !== undefined,
      onPublicBoard: publicRating !== null,
    });
  }
  rows.sort((x, y) => y.rating - x.rating || compareIds(x.model, y.model));
  return {
    votes: votes.length,
    minimumVotes: PERSONAL_MIN_VOTES,
    shown: votes.length >= PERSONAL_MIN_VOTES,
    rows,
    agreement: measureAgreement(votes, publicRatings, rows),
  };
}

/** Pair rows in canonical order (lower index first, sorted) plus per-model tallies. */
function aggregate(votes: readonly PersonalVote[], index: Map<string, number>) {
  const n = index.size;
  const pairs = new Map<number, [number, number, number]>();
  const wins = new Array<number>(n).fill(0);
  const losses = new Array<number>(n).fill(0);
  const ties = new Array<number>(n).fill(0);
  const tally = (x: number, y: number) => {
    const key = Math.min(x, y) * n + Math.max(x, y);
    const counts = pairs.get(key) ?? [0, 0, 0];
    pairs.set(key, counts);
    return counts;
  };
  for (const v of votes) {
    const a = index.get(v.modelA)!;
    const b = index.get(v.modelB)!;
    if (v.winner === "a" || v.winner === "b") {
      const [won, lost] = v.winner === "a" ? [a, b] : [b, a];
      wins[won]!++;
      losses[lost]!++;
      tally(won, lost)[won < lost ? 0 : 1]++;
    } else {
      ties[a]!++;
      ties[b]!++;
      tally(a, b)[2]++;
    }
  }
  const keys = [...pairs.keys()].sort((x, y) => x - y);
  const fit: FitData = {
    n,
    d: 0,
    rows: keys.length,
    i: Int32Array.from(keys, (key) => Math.floor(key / n)),
    j: Int32Array.from(keys, (key) => key % n),
    features: new Float64Array(0),
    winI: Float64Array.from(keys, (key) => pairs.get(key)![0]),
    winJ: Float64Array.from(keys, (key) => pairs.get(key)![1]),
    half: Float64Array.from(keys, (key) => pairs.get(key)![2]),
    weight: new Float64Array(keys.length).fill(1),
    linear: new Float64Array(0),
    scatter: new Float64Array(0),
    // The prior anchors every model, so the comparison graph's components play no part.
    component: new Int32Array(n),
    components: 1,
    l2: 0,
  };
  return { fit, wins, losses, ties };
}

/**
 * Newton's method on the log-posterior log L(β) − (λ/2)·|β − μ|². The
 * objective is strictly concave and its negative Hessian is the information
 * plus λ·I, so Cholesky never fails; step halving keeps every step uphill.
 */
function fitPosteriorMode(data: ReturnType<typeof aggregate>, prior: Float64Array, precision: number): Float64Array {
  const n = prior.length;
  const beta = Float64Array.from(prior);
  const posterior = (theta: Float64Array, withInformation: boolean) => {
    const e = evaluate(data.fit, theta, withInformation);
    let value = e.logLikelihood;
    for (let k = 0; k < n; k++) {
      const offset = theta[k]! - prior[k]!;
      value -= (precision / 2) * offset * offset;
      e.gradient[k]! -= precision * offset;
      if (withInformation) e.information[k * n + k]! += precision;
    }
    return { value, gradient: e.gradient, information: e.information };
  };
  let current = posterior(beta, true);
  for (let iteration = 0; iteration < MAX_NEWTON_STEPS; iteration++) {
    const step = Float64Array.from(current.gradient);
    if (!choleskyInPlace(current.information, n)) throw new Error("posterior information is not positive definite");
    choleskySolveInPlace(current.information, n, step);
    let scale = 1;
    let candidate = beta.map((b, k) => b + step[k]!);
    let next = posterior(candidate, false);
    // Halve only on a real decrease: near the mode the change is below rounding noise.
    const floor = current.value - 1e-12 * (1 + Math.abs(current.value));
    while (next.value < floor && scale > 1e-10) {
      scale /= 2;
      candidate = beta.map((b, k) => b + scale * step[k]!);
      next = posterior(candidate, false);
    }
    beta.set(candidate);
    const largest = step.reduce((m, s) => Math.max(m, Math.abs(scale * s)), 0);
    if (largest < STEP_TOLERANCE) break;
    current = posterior(beta, true);
  }
  return beta;
}

/** The three agreement numbers of {@link PersonalAgreement}. */
function measureAgreement(
  votes: readonly PersonalVote[],
  publicRatings: Map<string, number>,
  rows: readonly PersonalRow[],
): PersonalAgreement {
  let battles = 0;
  let agreed = 0;
  let predicted = 0;
  for (const { modelA, modelB, winner } of votes) {
    const a = publicRatings.get(modelA);
    const b = publicRatings.get(modelB);
    if (a === undefined || b === undefined || (winner !== "a" && winner !== "b")) continue;
    const edge = winner === "a" ? a - b : b - a;
    battles++;
    agreed += edge > 0 ? 1 : edge === 0 ? 0.5 : 0;
    // max(p, 1 − p) is the favourite's win probability.
    predicted += 1 / (1 + portableExp(-Math.abs(a - b) / RATING_SCALE));
  }
  const compared = rows.filter((r) => r.seen && r.onPublicBoard);
  return {
    battles,
    rate: battles === 0 ? null : agreed / battles,
    expected: battles === 0 ? null : predicted / battles,
    rankCorrelation: kendallTauB(
      compared.map((r) => r.publicRating!),
      compared.map((r) => r.rating),
    ),
  };
}

function compareIds(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
