import { describe, expect, it } from "vitest";
import { rankLeaderboard } from "./leaderboard";
import type { Leaderboard, PairCounts } from "./types";

const pair = (modelA: string, modelB: string, winsA: number, winsB: number, ties = 0): PairCounts => ({
  modelA,
  modelB,
  winsA,
  winsB,
  ties,
  bothBad: 0,
});
const byModel = (board: Leaderboard) => Object.fromEntries(board.rows.map((r) => [r.model, r]));

describe("identifiability", () => {
  it("centres each connected component on 1000, marks rows with their component and warns", () => {
    const board = rankLeaderboard({
      pairs: [pair("a", "b", 30, 10), pair("b", "c", 20, 20), pair("x", "y", 5, 15)],
    });
    const rows = byModel(board);
    expect(board.meta.components).toBe(2);
    expect(board.meta.warnings.join(" ")).toMatch(/2 connected components/);
    expect(new Set([rows.a!.component, rows.b!.component, rows.c!.component]).size).toBe(1);
    expect(rows.x!.component).toBe(rows.y!.component);
    expect(rows.x!.component).not.toBe(rows.a!.component);
    expect((rows.a!.rating + rows.b!.rating + rows.c!.rating) / 3).toBeCloseTo(1000, 9);
    expect((rows.x!.rating + rows.y!.rating) / 2).toBeCloseTo(1000, 9);
    // Ranks never compare across components: y leads its own component.
    expect(rows.y!.rank).toBe(1);
  });

  it("a model that never lost gets a finite rating, the all-wins flag and an open upper bound", () => {
    const board = rankLeaderboard({
      pairs: [pair("a", "b", 30, 20), pair("b", "c", 25, 25), pair("a", "c", 20, 30), pair("new", "a", 3, 0), pair("new", "b", 2, 0)],
    });
    const rows = byModel(board);
    expect(rows.new!.boundary).toBe("all-wins");
    expect(rows.new!.upper).toBeNull();
    expect(Number.isFinite(rows.new!.rating)).toBe(true);
    expect(Number.isFinite(rows.new!.lower!)).toBe(true);
    expect(rows.new!.rating).toBeGreaterThan(rows.a!.rating);
    expect(rows.new!.rank).toBe(1);
    // The rest of the component is fitted on its own data: no flags there.
    expect(rows.a!.boundary).toBeUndefined();
    expect(rows.a!.upper).not.toBeNull();
    expect(board.meta.gradientNorm).toBeLessThanOrEqual(1e-9);
    expect(JSON.parse(JSON.stringify(board))).toEqual(board);
  });

  it("a model that never won gets the all-losses flag and an open lower bound", () => {
    const rows = byModel(rankLeaderboard({ pairs: [pair("a", "b", 10, 12, 3), pair("a", "weak", 4, 0), pair("b", "weak", 6, 0)] }));
    expect(rows.weak!.boundary).toBe("all-losses");
    expect(rows.weak!.lower).toBeNull();
    expect(rows.weak!.upper!).toBeLessThan(1000);
    expect(rows.weak!.rank).toBe(3);
  });

  it("a tie is enough to make a lone model's rating a finite MLE", () => {
    const rows = byModel(rankLeaderboard({ pairs: [pair("a", "b", 10, 10), pair("a", "c", 5, 0, 1)] }));
    expect(rows.c!.boundary).toBeUndefined();
    expect(rows.c!.lower).not.toBeNull();
  });

  it("a group that only beats the rest is flagged as a group, not model by model", () => {
    const rows = byModel(
      rankLeaderboard({
        pairs: [pair("top1", "top2", 5, 5), pair("top1", "x", 3, 0), pair("top2", "y", 4, 0), pair("x", "y", 6, 7), pair("x", "z", 8, 8), pair("y", "z", 2, 3)],
      }),
    );
    expect(rows.top1!.boundary).toBe("all-wins");
    expect(rows.top2!.boundary).toBe("all-wins");
    expect(rows.x!.boundary).toBeUndefined();
  });

  it("a model without votes is listed at 1000 with open bounds, and a pair with zero counts is ignored", () => {
    const board = rankLeaderboard({ models: [{ id: "idle" }], pairs: [pair("a", "b", 3, 2), pair("a", "c", 0, 0)] });
    const rows = byModel(board);
    expect(rows.idle!.battles).toBe(0);
    expect(rows.idle!.rating).toBe(1000);
    expect([rows.idle!.lower, rows.idle!.upper]).toEqual([null, null]);
    expect(rows.idle!.provisional).toBe(true);
    expect(rows.c!.battles).toBe(0);
    expect(board.meta.components).toBe(3);
  });
});

describe("degenerate inputs", () => {
  it("an empty input gives an empty leaderboard with zero components", () => {
    const board = rankLeaderboard({ pairs: [] });
    expect(board.rows).toEqual([]);
    expect(board.meta).toMatchObject({ components: 0, totalBattles: 0, provisional: true });
  });

  it("a single decisive vote flags both models, each open on its unbounded side", () => {
    const rows = byModel(rankLeaderboard({ pairs: [pair("a", "b", 1, 0)] }));
    expect(rows.a).toMatchObject({ boundary: "all-wins", upper: null, rank: 1 });
    expect(rows.b).toMatchObject({ boundary: "all-losses", lower: null });
    expect(rows.a!.rating - rows.b!.rating).toBeCloseTo(400 * Math.log10(3), 9);
  });
});
