/**
 * What changed between two publications, for the webhook producer: rank
 * moves per category and style, and counted-vote milestones.
 */
import type { PublishedLeaderboard } from "../wire";

export interface RankChange {
  modelId: string;
  name: string;
  category: string;
  style: PublishedLeaderboard["style"];
  previousRank: number;
  rank: number;
  rating: number;
}

/**
 * Models on both boards whose published rank moved. A model new to the board
 * has no previous rank and is not a change (its release is its own event).
 *
 * @example rankChanges(previousOverall, nextOverall) // [{ modelId: "m", previousRank: 4, rank: 3, … }]
 */
export function rankChanges(previous: PublishedLeaderboard | null, next: PublishedLeaderboard): RankChange[] {
  if (!previous || previous.category !== next.category || previous.style !== next.style) return [];
  const before = new Map(previous.rows.map((row) => [row.modelId, row.rank]));
  const changes: RankChange[] = [];
  for (const row of next.rows) {
    const previousRank = before.get(row.modelId);
    if (previousRank === undefined || previousRank === row.rank) continue;
    changes.push({ modelId: row.modelId, name: row.name, category: next.category, style: next.style, previousRank, rank: row.rank, rating: row.rating });
  }
  return changes;
}

/** Counted-vote milestones announced to labs. */
export const VOTE_MILESTONES = [100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000] as const;

/**
 * Milestones passed since the highest one already announced: each is
 * announced once, even when votes later fall (a flagged voter's votes leave
 * the count) and rise past it again.
 *
 * @example milestonesCrossed(100, 1_200, VOTE_MILESTONES) // [500, 1000]
 */
export function milestonesCrossed(highestAnnounced: number, votes: number, milestones: readonly number[] = VOTE_MILESTONES): number[] {
  return milestones.filter((m) => m > highestAnnounced && m <= votes);
}
