import { describe, expect, it } from "vitest";
import { foldVote } from "./aggregate";
import { rankCategories } from "./categories";
import { createRandom } from "./random";
import { simulatePairCounts, spreadRatings } from "./simulate";
import type { PairCounts, Vote } from "./types";

describe("categories", () => {
  it("ranks each category from its own aggregates, in sorted order, flagging small ones provisional", () => {
    const overall = simulatePairCounts(createRandom(1), spreadRatings(5, 150), () => 300);
    const coding = new Map<string, PairCounts>();
    const votes: Vote[] = [
      { modelA: "m004", modelB: "m000", winner: "a" },
      { modelA: "m004", modelB: "m000", winner: "a" },
      { modelA: "m000", modelB: "m004", winner: "tie" },
    ];
    for (const vote of votes) foldVote(coding, vote);
    const boards = rankCategories({ overall: { pairs: overall }, coding: { pairs: [...coding.values()] } }, { minCategoryVotes: 1000 });
    expect(Object.keys(boards)).toEqual(["coding", "overall"]);
    expect(boards.overall!.meta).toMatchObject({ category: "overall", provisional: false, totalBattles: 3000 });
    expect(boards.coding!.meta).toMatchObject({ category: "coding", provisional: true, totalBattles: 3 });
    // In coding, m004 (the weakest overall) leads: a category is just a filter.
    expect(boards.coding!.rows[0]!.model).toBe("m004");
    expect(boards.overall!.rows[0]!.model).toBe("m000");
  });
});
