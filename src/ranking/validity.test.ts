import { describe, expect, it } from "vitest";
import { rankLeaderboard } from "./leaderboard";
import { createRandom } from "./random";
import { simulatePairCounts, spreadRatings, syntheticModelId } from "./simulate";

/**
 * Statistical validity on simulated arenas with known true ratings. Ties are
 * drawn so that "a tie is half a win" is unbiased but the per-vote variance
 * is not the Bernoulli one, which is exactly the case the sandwich is for.
 */
describe("statistical validity", () => {
  it("recovers known ratings from 300k simulated votes within 4.5 standard errors each", () => {
    const truth = spreadRatings(40, 250);
    const pairs = simulatePairCounts(createRandom(101), truth, () => 385, 0.25);
    const board = rankLeaderboard({ pairs });
    for (const row of board.rows) {
      const k = Number(row.model.slice(1));
      const se = (row.upper! - row.lower!) / (2 * 1.959963984540054);
      expect(Math.abs(row.rating - truth[k]!)).toBeLessThan(4.5 * se);
      expect(se).toBeLessThan(6);
    }
  });

  it("95% sandwich intervals cover the truth at close to the nominal rate over 1000 replications", () => {
    // 1000 independent arenas of 10 models with unequal pair volumes (so
    // intervals differ in width) and 20% ties. Each model's coverage is
    // estimated from 1000 independent replications: binomial SE
    // √(0.95·0.05/1000) = 0.0069, so ±0.03 is more than 4 SE per model
    // (all 10 pass together with probability > 99.9% if the truth is 0.95).
    // The pooled rate over 10,000 intervals (correlated within a replication,
    // SE at most 0.0069) must be within 0.02 of 0.95.
    const truth = spreadRatings(10, 200);
    const mean = truth.reduce((s, r) => s + r, 0) / truth.length;
    const rng = createRandom("coverage");
    const replications = 1000;
    const covered = new Float64Array(truth.length);
    for (let rep = 0; rep < replications; rep++) {
      const pairs = simulatePairCounts(rng, truth, (i, j) => 20 + 15 * ((i + 2 * j) % 5), 0.2);
      for (const row of rankLeaderboard({ pairs }).rows) {
        const k = Number(row.model.slice(1));
        const target = truth[k]! - mean + 1000;
        if (row.lower! <= target && target <= row.upper!) covered[k]!++;
      }
    }
    const rates = [...covered].map((c) => c / replications);
    for (const rate of rates) expect(Math.abs(rate - 0.95)).toBeLessThan(0.03);
    const pooled = rates.reduce((s, r) => s + r, 0) / rates.length;
    expect(Math.abs(pooled - 0.95)).toBeLessThan(0.02);
  });

  it("reweighted sandwich intervals also cover at close to the nominal rate (300 replications)", () => {
    // With the model correct, weighting pairs changes efficiency, not the
    // target; the weighted sandwich must still be calibrated. Pooled over 10
    // models the rate has SE ≤ √(0.95·0.05/300) = 0.0126, tolerance 0.035.
    const truth = spreadRatings(10, 200);
    const rng = createRandom("reweighted-coverage");
    let covered = 0;
    let total = 0;
    for (let rep = 0; rep < 300; rep++) {
      const pairs = simulatePairCounts(rng, truth, (i, j) => (i + j) % 3 === 0 ? 400 : 25, 0.2);
      const board = rankLeaderboard({ pairs }, { reweight: true });
      for (const row of board.rows) {
        const target = truth[Number(row.model.slice(1))]!;
        if (row.lower! <= target && target <= row.upper!) covered++;
        total++;
      }
    }
    expect(Math.abs(covered / total - 0.95)).toBeLessThan(0.035);
  });

  it("bootstrap percentile intervals also cover at close to the nominal rate (200 replications × 100 rounds)", () => {
    // Fewer replications to keep the suite fast: pooled over 10 models the
    // rate has SE ≤ √(0.95·0.05/200) = 0.015, so the tolerance is 0.045 (3 SE).
    const truth = spreadRatings(10, 200);
    const rng = createRandom("bootstrap-coverage");
    let covered = 0;
    let total = 0;
    for (let rep = 0; rep < 200; rep++) {
      const pairs = simulatePairCounts(rng, truth, () => 60, 0.2);
      const board = rankLeaderboard({ pairs }, { ci: "bootstrap", rounds: 100, seed: rep });
      for (const row of board.rows) {
        const target = truth[Number(row.model.slice(1))]!;
        if (row.lower! <= target && target <= row.upper!) covered++;
        total++;
      }
    }
    expect(Math.abs(covered / total - 0.95)).toBeLessThan(0.045);
  });

  it("recovers ratings to a fraction of a point from billions of votes, with 30% ties and uneven volumes", () => {
    const truth = spreadRatings(6, 300);
    const ids = truth.map((_, k) => syntheticModelId(k));
    const pairs = simulatePairCounts(createRandom(7), truth, (i, j) => 1e9 * (1 + i + j), 0.3);
    const board = rankLeaderboard({ pairs });
    for (const row of board.rows) expect(row.rating).toBeCloseTo(truth[ids.indexOf(row.model)]!, 0);
  });
});
