/**
 * The simulated arena the rigging benchmark attacks (rigging-sim.ts): models
 * with strengths fitted on real arena data, an honest history drawn from
 * that Bradley-Terry model with ties, and honest sessions whose votes are
 * part of the history, so the anomaly test can be measured on them too.
 *
 * Why this shape: the votes a bot needs to move a model depend on how much
 * history the model has and how close its neighbours are, so both come from
 * real data (the per-pair battle counts and the fitted ratings); the votes
 * themselves are drawn from the model the ranking assumes, so nothing in the
 * honest crowd looks anomalous unless `honestSpread` makes voters differ.
 */
import { samplePair, type SamplingCandidate, type SamplingPolicy } from "../battle/sampling";
import type { Random as DrawFunction } from "../random";
import { canonicalPair, foldVote, pairKey } from "../ranking/aggregate";
import { rankLeaderboard } from "../ranking/leaderboard";
import { createRandom, sampleMultinomial, type Random } from "../ranking/random";
import { outcomeProbabilities, sampleNormal } from "../ranking/simulate";
import type { PairCounts, Vote, VoteOutcome } from "../ranking/types";

/** An honest session: its votes and the IP it votes from. */
export interface HonestSession {
  id: string;
  ip: string;
  votes: Vote[];
}

export interface SimArena {
  /** Model ids, strongest first. */
  models: string[];
  /** True ratings (rating points, 400·log10 odds), by model id. */
  ratings: Map<string, number>;
  /** Share of honest votes that are ties (tie or both bad). */
  tieRate: number;
  /** Every honest vote, aggregated per canonical pair (`pairKey`). */
  history: Map<string, PairCounts>;
  sessions: HonestSession[];
}

export interface ArenaOptions {
  /** How many of the most-voted models of the source to keep. */
  models: number;
  /** Multiplies each real pair's battle count for the simulated history. */
  historyScale: number;
  /** Honest sessions with individual votes (besides the anonymous history). */
  honestSessions: number;
  /** Votes of an honest session: `minSessionVotes` plus a geometric number with this mean. */
  meanExtraVotes: number;
  minSessionVotes: number;
  /** Standard deviation (rating points) of each honest voter's own view of each model; 0 = everyone votes like the crowd. */
  honestSpread: number;
  /** Honest sessions sharing one IP (a NAT, a campus). */
  sessionsPerIp: number;
  seed: number | string;
}

/** A `() => number` draw for the code that takes one (sampling.ts), from the same stream. */
export function drawFunction(rng: Random): DrawFunction {
  return () => rng.next();
}

/** The arena's pair sampler on equal weights: what a bot (or a person) is shown. */
export function battlePair(models: readonly string[], rng: Random): { a: string; b: string } {
  const candidates: SamplingCandidate[] = models.map((id) => ({ id, arenas: ["text"], status: "active", weight: 1, countedVotes: 0 }));
  const policy: SamplingPolicy = { modality: "text", newModelBoost: 1, boostUntilVotes: 0 };
  const pair = samplePair(candidates, policy, drawFunction(rng));
  return { a: pair.a.id, b: pair.b.id };
}

/** One vote drawn from Bradley-Terry with ties between two ratings. */
export function drawOutcome(rng: Random, ra: number, rb: number, tieRate: number): VoteOutcome {
  const [pa, pb] = outcomeProbabilities(ra, rb, tieRate);
  const u = rng.next();
  return u < pa ? "a" : u < pa + pb ? "b" : "tie";
}

function modelTotals(pairs: readonly PairCounts[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const p of pairs) {
    const n = p.winsA + p.winsB + p.ties + p.bothBad;
    totals.set(p.modelA, (totals.get(p.modelA) ?? 0) + n);
    totals.set(p.modelB, (totals.get(p.modelB) ?? 0) + n);
  }
  return totals;
}

/**
 * Builds the arena from real pair counts: keeps the `models` most-voted
 * models, fits their strengths with the ranking engine, and redraws every
 * pair's battles (scaled) from the fit.
 */
export function buildArena(source: readonly PairCounts[], options: ArenaOptions): SimArena {
  const rng = createRandom(options.seed);
  const kept = new Set(
    [...modelTotals(source)].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, options.models).map(([id]) => id),
  );
  const real = source.filter((p) => kept.has(p.modelA) && kept.has(p.modelB));
  const board = rankLeaderboard({ pairs: real });
  const ratings = new Map(board.rows.map((r) => [r.model, r.rating]));
  const models = [...ratings.keys()].sort((x, y) => ratings.get(y)! - ratings.get(x)!);
  let draws = 0;
  let total = 0;
  for (const p of real) {
    draws += p.ties + p.bothBad;
    total += p.winsA + p.winsB + p.ties + p.bothBad;
  }
  const tieRate = total > 0 ? draws / total : 0;

  const history = new Map<string, PairCounts>();
  const cell = new Float64Array(3);
  for (const p of real) {
    const n = Math.round((p.winsA + p.winsB + p.ties + p.bothBad) * options.historyScale);
    if (n <= 0) continue;
    const { modelA, modelB } = canonicalPair(p.modelA, p.modelB);
    sampleMultinomial(rng, n, outcomeProbabilities(ratings.get(modelA)!, ratings.get(modelB)!, tieRate), cell);
    history.set(pairKey(modelA, modelB), { modelA, modelB, winsA: cell[0]!, winsB: cell[1]!, ties: cell[2]!, bothBad: 0 });
  }

  const sessions: HonestSession[] = [];
  for (let s = 0; s < options.honestSessions; s++) {
    // Each voter sees every model a little differently (their own taste), drawn once per voter.
    const own = new Map(models.map((m) => [m, ratings.get(m)! + options.honestSpread * sampleNormal(rng)]));
    const extra = Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / (options.meanExtraVotes + 1)));
    const votes: Vote[] = [];
    for (let v = 0; v < options.minSessionVotes + extra; v++) {
      const { a, b } = battlePair(models, rng);
      const vote: Vote = { modelA: a, modelB: b, winner: drawOutcome(rng, own.get(a)!, own.get(b)!, tieRate) };
      votes.push(vote);
      foldVote(history, vote);
    }
    sessions.push({ id: `honest-${s}`, ip: `honest-ip-${Math.floor(s / options.sessionsPerIp)}`, votes });
  }
  return { models, ratings, tieRate, history, sessions };
}
