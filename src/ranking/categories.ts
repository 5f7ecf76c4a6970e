/**
 * Categories: a category is a filter over votes, so it is ranked from its own
 * aggregates with the same pipeline as the overall leaderboard.
 */
import { rankLeaderboard, type RankingHooks } from "./leaderboard";
import type { Leaderboard, RankingInput, RankingOptions } from "./types";

/**
 * Ranks each category from its own aggregates (the cron keeps one set of
 * pair rows per category, "overall" included). Categories are processed in
 * sorted order so output and bootstrap streams are deterministic; each gets
 * `meta.category`, and `meta.provisional` when it has fewer than
 * `minCategoryVotes` votes.
 *
 * @example rankCategories({ overall: { pairs }, coding: { pairs: codingPairs } }, { minCategoryVotes: 500 })
 */
export function rankCategories(
  inputs: Readonly<Record<string, RankingInput>>,
  options: RankingOptions = {},
  hooks: RankingHooks = {},
): Record<string, Leaderboard> {
  const out: Record<string, Leaderboard> = {};
  for (const category of Object.keys(inputs).sort()) {
    const board = rankLeaderboard(inputs[category]!, options, hooks);
    board.meta.category = category;
    out[category] = board;
  }
  return out;
}
