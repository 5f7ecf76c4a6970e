import { describe, expect, it } from "vitest";
import { RATING_SCALE } from "./leaderboard";
import {
  PERSONAL_MIN_VOTES,
  PERSONAL_PRIOR_SD,
  rankPersonalLeaderboard,
  type PersonalLeaderboard,
  type PersonalVote,
} from "./personal";
import type { VoteOutcome } from "./types";

const board = [
  { model: "alpha", rating: 1100 },
  { model: "beta", rating: 1000 },
  { model: "gamma", rating: 900 },
];

function vote(modelA: string, modelB: string, winner: VoteOutcome): PersonalVote {
  return { modelA, modelB, winner };
}

function repeat(times: number, v: PersonalVote): PersonalVote[] {
  return Array.from({ length: times }, () => v);
}

function row(result: PersonalLeaderboard, model: string) {
  const found = result.rows.find((r) => r.model === model);
  if (!found) throw new Error(`no row for ${model}`);
  return found;
}

function swapSides(v: PersonalVote): PersonalVote {
  const winner = v.winner === "a" ? "b" : v.winner === "b" ? "a" : v.winner;
  return { modelA: v.modelB, modelB: v.modelA, winner };
}

/** Win probability of a over b on the arena's scale, written out by hand. */
function winProbability(a: number, b: number): number {
  return 1 / (1 + 10 ** ((b - a) / 400));
}

describe("personal leaderboard: the fit", () => {
  it("with zero votes is the public board unchanged, every model flagged unseen", () => {
    const result = rankPersonalLeaderboard([], board);
    expect(result.rows.map((r) => [r.model, r.rating, r.publicRating, r.delta, r.seen])).toEqual([
      ["alpha", 1100, 1100, 0, false],
      ["beta", 1000, 1000, 0, false],
      ["gamma", 900, 900, 0, false],
    ]);
    expect(result.votes).toBe(0);
    expect(result.agreement).toEqual({ battles: 0, rate: null, expected: null, rankCorrelation: null });
  });

  it("moves ratings only a little, and the right way, after a handful of votes", () => {
    const result = rankPersonalLeaderboard(repeat(3, vote("alpha", "gamma", "b")), board);
    const alpha = row(result, "alpha");
    const gamma = row(result, "gamma");
    expect(gamma.delta).toBeGreaterThan(0);
    expect(alpha.delta).toBeLessThan(0);
    // A 3–0 record has no finite maximum-likelihood gap; the prior keeps each move under one sd.
    expect(gamma.delta).toBeLessThan(PERSONAL_PRIOR_SD);
    expect(alpha.delta).toBeCloseTo(-gamma.delta, 9);
    expect(alpha.rating).toBeGreaterThan(gamma.rating);
    expect(row(result, "beta")).toMatchObject({ rating: 1000, delta: 0, seen: false, votes: 0 });
  });

  it("reverses two models' order after many consistent votes", () => {
    const result = rankPersonalLeaderboard(repeat(30, vote("alpha", "gamma", "b")), board);
    expect(row(result, "gamma").rating).toBeGreaterThan(row(result, "alpha").rating);
    expect(result.rows.map((r) => r.model)).toEqual(["gamma", "beta", "alpha"]);
    expect(row(result, "gamma")).toMatchObject({ votes: 30, wins: 30, losses: 0, ties: 0, seen: true });
  });

  it.each([
    ["a mixed record of 10 votes", [...repeat(7, vote("alpha", "beta", "b")), ...repeat(2, vote("alpha", "beta", "a")), vote("alpha", "beta", "tie")], board],
    ["a lopsided record of 5000 votes", repeat(5000, vote("beta", "alpha", "a")), board],
    // Newton's first step from the prior overshoots here; step halving brings it back.
    [
      "an even record of 5000 votes between models 800 points apart",
      [...repeat(2500, vote("alpha", "beta", "a")), ...repeat(2500, vote("alpha", "beta", "b"))],
      [{ model: "alpha", rating: 1100 }, { model: "beta", rating: 300 }],
    ],
  ])("is the posterior mode after %s: the log-posterior's gradient vanishes", (_, votes, publicBoard = board) => {
    const result = rankPersonalLeaderboard(votes, publicBoard);
    const a = row(result, "alpha");
    const b = row(result, "beta");
    const precision = (RATING_SCALE / PERSONAL_PRIOR_SD) ** 2;
    // d/dβ_alpha of Σ log-likelihood − (λ/2)(β − μ)², with a tie worth half a win.
    const score = a.wins + a.ties / 2;
    const gradient = score - a.votes * winProbability(a.rating, b.rating) - (precision * (a.rating - 1100)) / RATING_SCALE;
    expect(gradient).toBeCloseTo(0, 9);
  });

  it("gives the same bits when each vote's sides and winner are swapped", () => {
    const votes = [
      vote("alpha", "beta", "a"),
      vote("gamma", "alpha", "b"),
      vote("beta", "gamma", "tie"),
      vote("gamma", "beta", "bothbad"),
      vote("beta", "alpha", "b"),
    ];
    expect(rankPersonalLeaderboard(votes.map(swapSides), board)).toEqual(rankPersonalLeaderboard(votes, board));
  });

  it("counts a tie or a both-bad vote as half a win each way: the two models move toward each other", () => {
    const tie = rankPersonalLeaderboard([vote("alpha", "gamma", "tie")], board);
    const bothBad = rankPersonalLeaderboard([vote("gamma", "alpha", "bothbad")], board);
    expect(bothBad.rows).toEqual(tie.rows);
    expect(row(tie, "alpha").delta).toBeLessThan(0);
    expect(row(tie, "gamma").delta).toBeGreaterThan(0);
    expect(row(tie, "alpha")).toMatchObject({ votes: 1, wins: 0, losses: 0, ties: 1 });
    const even = rankPersonalLeaderboard([vote("alpha", "alpha2", "tie")], [...board, { model: "alpha2", rating: 1100 }]);
    expect(row(even, "alpha").delta).toBe(0);
  });

  it("puts a model missing from the public board at the prior centre 1000 and flags it", () => {
    const result = rankPersonalLeaderboard([vote("newcomer", "beta", "tie"), vote("newcomer", "gamma", "a")], board);
    const newcomer = row(result, "newcomer");
    expect(newcomer).toMatchObject({ publicRating: null, onPublicBoard: false, seen: true, votes: 2 });
    expect(newcomer.rating).toBeGreaterThan(1000);
    expect(newcomer.delta).toBeCloseTo(newcomer.rating - 1000, 12);
    expect(row(result, "alpha")).toMatchObject({ rating: 1100, seen: false, onPublicBoard: true });
    // Its votes say nothing about agreement with a board it is not on.
    expect(result.agreement.battles).toBe(0);
  });

  it("is deterministic: the same votes in another order give the same bytes", () => {
    const votes = [
      vote("alpha", "beta", "b"),
      vote("beta", "gamma", "a"),
      vote("gamma", "alpha", "tie"),
      vote("delta", "alpha", "a"),
      vote("beta", "delta", "bothbad"),
    ];
    const once = JSON.stringify(rankPersonalLeaderboard(votes, board));
    expect(JSON.stringify(rankPersonalLeaderboard([...votes].reverse(), board))).toBe(once);
    expect(JSON.stringify(rankPersonalLeaderboard(votes, [...board].reverse()))).toBe(once);
  });

  it("gives the numbers of its documented example", () => {
    const result = rankPersonalLeaderboard(
      [vote("m1", "m2", "b")],
      [{ model: "m1", rating: 1100 }, { model: "m2", rating: 1000 }, { model: "m3", rating: 900 }],
    );
    expect(result.rows.map((r) => [r.model, Math.round(r.delta), r.seen])).toEqual([
      ["m1", -32, true],
      ["m2", 32, true],
      ["m3", 0, false],
    ]);
  });

  it("sorts equal ratings by model id", () => {
    const result = rankPersonalLeaderboard([], [{ model: "b", rating: 1000 }, { model: "a", rating: 1000 }]);
    expect(result.rows.map((r) => r.model)).toEqual(["a", "b"]);
  });

  it("refuses a vote of a model against itself and a model listed twice on the public board", () => {
    expect(() => rankPersonalLeaderboard([vote("alpha", "alpha", "a")], board)).toThrow(RangeError);
    expect(() => rankPersonalLeaderboard([], [...board, { model: "beta", rating: 990 }])).toThrow(/twice/);
  });
});

describe("personal leaderboard: agreement with the public board", () => {
  it("matches a small case computed by hand", () => {
    const votes = [
      vote("alpha", "beta", "a"), // public favourite wins
      vote("gamma", "beta", "a"), // underdog wins
      vote("alpha", "gamma", "a"), // public favourite wins
      vote("alpha", "beta", "tie"), // not decisive
      vote("beta", "gamma", "bothbad"), // not decisive
    ];
    const { agreement, rows } = rankPersonalLeaderboard(votes, board);
    expect(agreement.battles).toBe(3);
    expect(agreement.rate).toBeCloseTo(2 / 3, 15);
    // Gaps of 100, 100 and 200 points: favourites win 64.0 %, 64.0 % and 76.0 % of the time.
    const expected = (2 * winProbability(1100, 1000) + winProbability(1100, 900)) / 3;
    expect(agreement.expected).toBeCloseTo(expected, 12);
    expect(agreement.expected).toBeCloseTo(0.68, 2);
    // Five votes leave the public order alpha > beta > gamma intact: full rank agreement.
    expect(rows.map((r) => r.model)).toEqual(["alpha", "beta", "gamma"]);
    expect(agreement.rankCorrelation).toBe(1);
  });

  it("reports a reversed order as a rank correlation of −1", () => {
    const { agreement } = rankPersonalLeaderboard(repeat(30, vote("alpha", "gamma", "b")), board);
    expect(agreement).toMatchObject({ battles: 30, rate: 0, rankCorrelation: -1 });
  });

  it("counts a decisive vote between two equally rated models as half agreement", () => {
    const even = [...board, { model: "alpha2", rating: 1100 }];
    const { agreement } = rankPersonalLeaderboard([vote("alpha", "alpha2", "b")], even);
    expect(agreement).toMatchObject({ battles: 1, rate: 0.5, expected: 0.5 });
  });
});

describe("personal leaderboard: the minimum number of votes", () => {
  it(`is hidden below ${PERSONAL_MIN_VOTES} votes and shown from then on, rows computed either way`, () => {
    expect(PERSONAL_MIN_VOTES).toBe(30);
    const below = rankPersonalLeaderboard(repeat(29, vote("alpha", "beta", "b")), board);
    const at = rankPersonalLeaderboard(repeat(30, vote("alpha", "beta", "b")), board);
    expect(below).toMatchObject({ votes: 29, minimumVotes: 30, shown: false });
    expect(at).toMatchObject({ votes: 30, minimumVotes: 30, shown: true });
    expect(row(below, "beta").delta).toBeGreaterThan(0);
  });
});
