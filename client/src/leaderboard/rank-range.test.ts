import { describe, expect, it } from "vitest";
import type { PublishedRow } from "../../../src/wire";
import { rankRanges } from "./rank-range";

function row(modelId: string, lower: number | null, upper: number | null, component = 0): PublishedRow {
  const rating = ((lower ?? 900) + (upper ?? 1100)) / 2;
  return {
    modelId, name: modelId, organization: "o", license: null, status: "active", rank: 0, rating, lower, upper,
    votes: 1, wins: 0, losses: 0, ties: 0, component, provisional: false,
  };
}

describe("rankRanges", () => {
  it("spans every rank a model could hold when intervals overlap", () => {
    const ranges = rankRanges([row("top", 1100, 1200), row("mid", 1000, 1110), row("low", 990, 1050), row("last", 800, 900)]);
    expect(ranges.get("top")).toEqual({ best: 1, worst: 2 });
    expect(ranges.get("mid")).toEqual({ best: 1, worst: 3 });
    expect(ranges.get("low")).toEqual({ best: 2, worst: 3 });
    expect(ranges.get("last")).toEqual({ best: 4, worst: 4 });
  });

  it("treats an open bound as unbounded", () => {
    const ranges = rankRanges([row("unbeaten", 1000, null), row("other", 1050, 1080)]);
    expect(ranges.get("unbeaten")).toEqual({ best: 1, worst: 2 });
  });

  it("compares only models of the same component", () => {
    const ranges = rankRanges([row("a", 1100, 1200, 0), row("b", 800, 900, 0), row("island", 500, 600, 1)]);
    expect(ranges.get("island")).toEqual({ best: 1, worst: 1 });
  });
});
