import { describe, expect, it } from "vitest";
import { computeElo, createEloState, foldEloVote } from "./elo";

describe("online Elo", () => {
  it("moves both ratings by K·(score − expected) and is zero-sum", () => {
    const state = createEloState();
    foldEloVote(state, "m1", "m2", "a");
    expect(state.ratings).toEqual({ m1: 1002, m2: 998 });
    foldEloVote(state, "m1", "m2", "bothbad");
    expect(state.ratings.m1! + state.ratings.m2!).toBeCloseTo(2000, 12);
    expect(state.ratings.m1!).toBeLessThan(1002);
    expect(state.votes).toBe(2);
  });

  it("depends on vote order, unlike Bradley-Terry", () => {
    const forward = createEloState();
    const backward = createEloState();
    const votes = [
      ["x", "y", "a"],
      ["x", "z", "a"],
      ["y", "z", "b"],
    ] as const;
    for (const [a, b, w] of votes) foldEloVote(forward, a, b, w);
    for (const [a, b, w] of [...votes].reverse()) foldEloVote(backward, a, b, w);
    expect(forward.ratings.x).not.toBeCloseTo(backward.ratings.x!, 6);
  });

  it("can be persisted as JSON and resumed with the same result", () => {
    const straight = createEloState(4, 1000);
    const resumed = createEloState(4, 1000);
    foldEloVote(straight, "a", "b", "a");
    foldEloVote(resumed, "a", "b", "a");
    const restored = JSON.parse(JSON.stringify(resumed)) as typeof resumed;
    foldEloVote(straight, "b", "c", "tie");
    foldEloVote(restored, "b", "c", "tie");
    expect(restored).toEqual(straight);
  });

  it("computeElo over an ordered list equals folding vote by vote", () => {
    const votes = [
      { modelA: "a", modelB: "b", winner: "a" as const },
      { modelA: "b", modelB: "c", winner: "tie" as const },
      { modelA: "c", modelB: "a", winner: "b" as const },
    ];
    const folded = createEloState();
    for (const v of votes) foldEloVote(folded, v.modelA, v.modelB, v.winner);
    expect(computeElo(votes)).toEqual(folded);
  });
});
