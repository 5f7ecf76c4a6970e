import { describe, expect, it } from "vitest";
import type { PublishedLeaderboard, PublishedRow } from "../wire";
import { milestonesCrossed, rankChanges } from "./changes";
import { WEBHOOK_EVENT_TYPES, envelope } from "./events";

function board(ranks: Record<string, number>, category = "overall"): PublishedLeaderboard {
  const rows = Object.entries(ranks).map(([modelId, rank]) => ({ modelId, name: modelId.toUpperCase(), rank, rating: 1000 + 10 * (10 - rank) }) as PublishedRow);
  return { category, style: "default", computedAt: "2026-12-04T00:00:00.000Z", provisional: false, rows } as unknown as PublishedLeaderboard;
}

describe("rankChanges", () => {
  it("lists the models whose rank moved, with both ranks", () => {
    const changes = rankChanges(board({ a: 1, b: 2, c: 3 }), board({ a: 2, b: 1, c: 3 }));
    expect(changes).toEqual([
      expect.objectContaining({ modelId: "a", previousRank: 1, rank: 2, category: "overall", style: "default" }),
      expect.objectContaining({ modelId: "b", previousRank: 2, rank: 1 }),
    ]);
  });

  it("does not count a model new to the board, a first publication, or another category", () => {
    expect(rankChanges(board({ a: 1 }), board({ a: 1, b: 2 }))).toEqual([]);
    expect(rankChanges(null, board({ a: 1 }))).toEqual([]);
    expect(rankChanges(board({ a: 1 }, "coding"), board({ a: 2 }))).toEqual([]);
  });
});

describe("milestonesCrossed", () => {
  it("announces every milestone passed since the highest announced, once", () => {
    expect(milestonesCrossed(0, 99)).toEqual([]);
    expect(milestonesCrossed(0, 100)).toEqual([100]);
    expect(milestonesCrossed(100, 1_200)).toEqual([500, 1_000]);
    expect(milestonesCrossed(1_000, 1_200)).toEqual([]);
    // Votes fell (a voter was flagged) and rose again: nothing new.
    expect(milestonesCrossed(1_000, 999)).toEqual([]);
  });
});

describe("event envelopes", () => {
  it("cover the six events and refuse data that does not fit the schema", () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual(["leaderboard.published", "model.rank_changed", "model.votes_milestone", "preview.results_ready", "model.released", "model.retired"]);
    const at = new Date("2026-12-04T10:00:00Z");
    expect(envelope("model.retired", { modelId: "m", name: "M", reason: "superseded", retiredAt: at.toISOString() }, at)).toEqual({
      type: "model.retired",
      timestamp: "2026-12-04T10:00:00.000Z",
      data: { modelId: "m", name: "M", reason: "superseded", retiredAt: "2026-12-04T10:00:00.000Z" },
    });
    expect(() => envelope("model.votes_milestone", { modelId: "m", name: "M", milestone: 0, votes: -1 }, at)).toThrow();
  });
});
