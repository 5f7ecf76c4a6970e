import { describe, expect, it } from "vitest";
import { rankLeaderboard, RATING_SCALE } from "./leaderboard";
import { createRandom } from "./random";
import { outcomeProbabilities, simulatePairCounts, spreadRatings, syntheticModelId } from "./simulate";
import type { Leaderboard, PairCounts } from "./types";

const pair = (modelA: string, modelB: string, winsA: number, winsB: number, ties = 0, bothBad = 0): PairCounts => ({
  modelA,
  modelB,
  winsA,
  winsB,
  ties,
  bothBad,
});

const byModel = (board: Leaderboard) => Object.fromEntries(board.rows.map((r) => [r.model, r]));

describe("Bradley-Terry fit", () => {
  it("two models, 60 wins to 40: ratings 1000 ± 200·log10(1.5), interval from the binomial variance", () => {
    const board = rankLeaderboard({ pairs: [pair("m1", "m2", 60, 40)] });
    const rows = byModel(board);
    const half = 200 * Math.log10(1.5);
    expect(rows.m1!.rating).toBeCloseTo(1000 + half, 9);
    expect(rows.m2!.rating).toBeCloseTo(1000 - half, 9);
    // Without ties the sandwich equals the model-based variance 1/(n·p·(1−p)) of
    // the difference; each centred rating carries half of the difference.
    const se = (RATING_SCALE * Math.sqrt(1 / (100 * 0.6 * 0.4))) / 2;
    expect(rows.m1!.upper! - rows.m1!.rating).toBeCloseTo(1.959963984540054 * se, 6);
    expect(board.meta.gradientNorm).toBeLessThanOrEqual(1e-9);
  });

  it("expected counts from known ratings reproduce those ratings exactly (4 models)", () => {
    const truth = [1150, 1050, 950, 850];
    const pairs: PairCounts[] = [];
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) {
        const [pa, pb] = outcomeProbabilities(truth[i]!, truth[j]!, 0);
        pairs.push(pair(syntheticModelId(i), syntheticModelId(j), 1000 * pa, 1000 * pb));
      }
    }
    const rows = byModel(rankLeaderboard({ pairs }));
    truth.forEach((r, k) => expect(rows[syntheticModelId(k)]!.rating).toBeCloseTo(r, 8));
  });

  it("satisfies the likelihood equations: each model's predicted score equals its observed score", () => {
    const pairs = [pair("a", "b", 7, 3, 2), pair("b", "c", 5, 5, 0, 1), pair("a", "c", 9, 1), pair("c", "d", 4, 6, 3)];
    const board = rankLeaderboard({ pairs }, { matrices: true });
    const m = board.matrices!;
    for (let x = 0; x < m.models.length; x++) {
      let observed = 0;
      let predicted = 0;
      for (let y = 0; y < m.models.length; y++) {
        if (m.battles[x]![y]! === 0) continue;
        observed += m.battles[x]![y]! * m.winFraction[x]![y]!;
        predicted += m.battles[x]![y]! * m.predicted[x]![y]!;
      }
      expect(predicted).toBeCloseTo(observed, 9);
    }
  });

  it("a perfectly balanced cycle gives every model 1000", () => {
    const board = rankLeaderboard({ pairs: [pair("a", "b", 2, 1), pair("b", "c", 2, 1), pair("c", "a", 2, 1)] });
    for (const row of board.rows) expect(row.rating).toBeCloseTo(1000, 9);
  });

  it("counts ties and both-bad as half a win each way", () => {
    const withTies = byModel(rankLeaderboard({ pairs: [pair("a", "b", 50, 30, 10, 10)] }));
    const asHalves = byModel(rankLeaderboard({ pairs: [pair("a", "b", 60, 40)] }));
    expect(withTies.a!.rating).toBeCloseTo(asHalves.a!.rating, 9);
    expect(withTies.a!.ties).toBe(20);
  });

  it("does not depend on side order, row order or how rows are split", () => {
    const rng = createRandom(3);
    const pairs = simulatePairCounts(rng, spreadRatings(6, 200), () => 40, 0.2);
    const reference = rankLeaderboard({ pairs });
    const flipped = pairs
      .map((p) => pair(p.modelB, p.modelA, p.winsB, p.winsA, p.ties, p.bothBad))
      .reverse()
      .flatMap((p) => [
        pair(p.modelA, p.modelB, Math.floor(p.winsA / 2), Math.floor(p.winsB / 2), p.ties, 0),
        pair(p.modelA, p.modelB, p.winsA - Math.floor(p.winsA / 2), p.winsB - Math.floor(p.winsB / 2), 0, p.bothBad),
      ]);
    const again = byModel(rankLeaderboard({ pairs: flipped }));
    for (const row of reference.rows) {
      expect(again[row.model]!.rating).toBeCloseTo(row.rating, 8);
      expect(again[row.model]!.upper!).toBeCloseTo(row.upper!, 8);
    }
  });

  it("is shift invariant: the centring, not the data, fixes the mean at 1000; scaling counts narrows intervals by √k", () => {
    const rng = createRandom(4);
    const pairs = simulatePairCounts(rng, spreadRatings(5, 150).map((r) => r + 700), () => 50);
    const board = rankLeaderboard({ pairs });
    const mean = board.rows.reduce((s, r) => s + r.rating, 0) / board.rows.length;
    expect(mean).toBeCloseTo(1000, 9);
    const scaled = byModel(
      rankLeaderboard({ pairs: pairs.map((p) => pair(p.modelA, p.modelB, 4 * p.winsA, 4 * p.winsB, 4 * p.ties)) }),
    );
    for (const row of board.rows) {
      expect(scaled[row.model]!.rating).toBeCloseTo(row.rating, 8);
      expect(scaled[row.model]!.upper! - row.rating).toBeCloseTo((row.upper! - row.rating) / 2, 6);
    }
  });

  it("produces the same bytes for the same input and seed", () => {
    const pairs = simulatePairCounts(createRandom(5), spreadRatings(8, 200), () => 30, 0.1);
    const one = JSON.stringify(rankLeaderboard({ pairs }, { ci: "bootstrap", rounds: 50, seed: 9 }));
    const two = JSON.stringify(rankLeaderboard({ pairs }, { ci: "bootstrap", rounds: 50, seed: 9 }));
    const other = JSON.stringify(rankLeaderboard({ pairs }, { ci: "bootstrap", rounds: 50, seed: 10 }));
    expect(two).toBe(one);
    expect(other).not.toBe(one);
  });

  it("ranks by interval overlap: rank = 1 + models whose lower bound is above this upper bound", () => {
    const pairs = simulatePairCounts(createRandom(6), [1300, 1290, 1000, 700], () => 400);
    const board = rankLeaderboard({ pairs });
    expect(board.rows.map((r) => r.rank)).toEqual([1, 1, 3, 4]);
  });

  it("flags models below the vote minimum and preview models as provisional", () => {
    const pairs = [pair("a", "b", 200, 150), pair("b", "c", 10, 10)];
    const rows = byModel(
      rankLeaderboard({ models: [{ id: "a", status: "preview" }], pairs }, { minVotes: 300, minCategoryVotes: 1000 }),
    );
    expect(rows.a!.provisional).toBe(true);
    expect(rows.b!.provisional).toBe(false);
    expect(rows.c!.provisional).toBe(true);
  });

  it("reweights by inverse pair frequency and records it", () => {
    // a beats b often on a heavily played pair; c is mostly seen against b.
    const pairs = [pair("a", "b", 3000, 1000), pair("b", "c", 30, 20), pair("a", "c", 20, 30)];
    const plain = rankLeaderboard({ pairs });
    const weighted = rankLeaderboard({ pairs }, { reweight: true });
    expect(weighted.meta.reweighted).toBe(true);
    expect(plain.meta.reweighted).toBe(false);
    expect(byModel(weighted).a!.rating).toBeLessThan(byModel(plain).a!.rating);
    expect(weighted.meta.gradientNorm).toBeLessThanOrEqual(1e-9);
  });
});
