/**
 * Folding counted votes into the per-pair aggregates the ranking consumes.
 * The Bradley-Terry likelihood depends on votes only through these counts, so
 * the cron keeps one row per (category, modelA, modelB) instead of every vote.
 */
import type { PairCounts, Vote, VoteOutcome } from "./types";

/** A pair in canonical order (`modelA < modelB`) and whether the vote's sides were swapped. */
export interface CanonicalPair {
  modelA: string;
  modelB: string;
  swapped: boolean;
}

/**
 * Orders a pair canonically so that each unordered pair has one row.
 *
 * @example canonicalPair("gpt", "claude") // { modelA: "claude", modelB: "gpt", swapped: true }
 */
export function canonicalPair(modelA: string, modelB: string): CanonicalPair {
  if (modelA === modelB) throw new RangeError(`a model cannot battle itself: "${modelA}"`);
  return modelA < modelB ? { modelA, modelB, swapped: false } : { modelA: modelB, modelB: modelA, swapped: true };
}

/** The outcome seen from the other side. */
export function flipOutcome(outcome: VoteOutcome): VoteOutcome {
  return outcome === "a" ? "b" : outcome === "b" ? "a" : outcome;
}

/**
 * The increment one vote adds to its pair's row: exactly one of the four
 * counts is 1. The cron upserts it with
 * `INSERT … ON CONFLICT (category, model_a, model_b) DO UPDATE SET
 * wins_a = wins_a + excluded.wins_a, …` once per category the vote is in.
 *
 * @example pairCountsDelta({ modelA: "m2", modelB: "m1", winner: "a" })
 * // { modelA: "m1", modelB: "m2", winsA: 0, winsB: 1, ties: 0, bothBad: 0 }
 */
export function pairCountsDelta(vote: Vote): PairCounts {
  const pair = canonicalPair(vote.modelA, vote.modelB);
  const outcome = pair.swapped ? flipOutcome(vote.winner) : vote.winner;
  return {
    modelA: pair.modelA,
    modelB: pair.modelB,
    winsA: outcome === "a" ? 1 : 0,
    winsB: outcome === "b" ? 1 : 0,
    ties: outcome === "tie" ? 1 : 0,
    bothBad: outcome === "bothbad" ? 1 : 0,
  };
}

/** Map key of a canonical pair. */
export function pairKey(modelA: string, modelB: string): string {
  return `${modelA}\u0000${modelB}`;
}

/** Adds `delta`'s counts into `into` (same pair assumed). */
export function addCounts(into: PairCounts, delta: PairCounts): void {
  into.winsA += delta.winsA;
  into.winsB += delta.winsB;
  into.ties += delta.ties;
  into.bothBad += delta.bothBad;
}

/**
 * Folds one vote into an in-memory aggregate keyed by {@link pairKey}; the
 * streaming CLI and tests use it, the cron does the same in SQL.
 *
 * @example const counts = new Map(); foldVote(counts, vote); rankLeaderboard({ pairs: [...counts.values()] })
 */
export function foldVote(into: Map<string, PairCounts>, vote: Vote): void {
  const delta = pairCountsDelta(vote);
  const key = pairKey(delta.modelA, delta.modelB);
  const row = into.get(key);
  if (row) addCounts(row, delta);
  else into.set(key, delta);
}

/**
 * {@link foldVote} for millions of votes: rows by canonical pair in nested
 * maps, so once a pair has been seen a vote allocates nothing (no delta
 * object, no joined key). Rows come out in the order their pairs were
 * first seen, as `[...map.values()]` of {@link foldVote} would give them.
 *
 * @example const fold = new PairFold(); fold.add("m2", "m1", "a"); fold.rows() // [{ modelA: "m1", modelB: "m2", winsA: 0, winsB: 1, ties: 0, bothBad: 0 }]
 */
export class PairFold {
  private readonly byModel = new Map<string, Map<string, PairCounts>>();
  private readonly list: PairCounts[] = [];

  add(modelA: string, modelB: string, winner: VoteOutcome): void {
    if (modelA === modelB) throw new RangeError(`a model cannot battle itself: "${modelA}"`);
    const swapped = modelB < modelA;
    const low = swapped ? modelB : modelA;
    const high = swapped ? modelA : modelB;
    let inner = this.byModel.get(low);
    if (!inner) {
      inner = new Map();
      this.byModel.set(low, inner);
    }
    let row = inner.get(high);
    if (!row) {
      row = { modelA: low, modelB: high, winsA: 0, winsB: 0, ties: 0, bothBad: 0 };
      inner.set(high, row);
      this.list.push(row);
    }
    const outcome = swapped ? flipOutcome(winner) : winner;
    if (outcome === "a") row.winsA++;
    else if (outcome === "b") row.winsB++;
    else if (outcome === "tie") row.ties++;
    else row.bothBad++;
  }

  rows(): PairCounts[] {
    return this.list;
  }
}

/** Total votes of a pair row. */
export function pairTotal(row: PairCounts): number {
  return row.winsA + row.winsB + row.ties + row.bothBad;
}
