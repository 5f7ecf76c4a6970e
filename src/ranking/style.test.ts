import { describe, expect, it } from "vitest";
import { rankLeaderboard } from "./leaderboard";
import { createRandom } from "./random";
import { sampleNormal, simulateStyleVote, spreadRatings } from "./simulate";
import { foldStyleVote, momentToStored, STYLE_MOMENT_NAMES, STYLE_QUANTUM, storedToMoment, styleBucketDelta, styleBucketKey, styleDifference } from "./style";
import type { Leaderboard, StyleBucket, Vote } from "./types";

const plain = { tokens: 100, headers: 0, listItems: 0, bold: 1 };
const fancy = { tokens: 300, headers: 2, listItems: 0, bold: 1 };

describe("style buckets", () => {
  it("normalises differences as (a − b)/(a + b + 1)", () => {
    expect(styleDifference(fancy, plain)).toEqual([200 / 401, 2 / 3, 0, 0]);
  });

  it("keys a vote by its bucketed length difference, and swapping sides negates the key", () => {
    expect(styleBucketKey(fancy, plain)).toBe("2");
    expect(styleBucketKey(plain, fancy)).toBe("-2");
    expect(styleBucketKey(plain, { ...plain, headers: 5 })).toBe("0");
  });

  it("folds a vote into its canonical pair, flipping outcome and features when the sides are reversed", () => {
    const vote: Vote = { modelA: "zeta", modelB: "alpha", winner: "a", styleA: fancy, styleB: plain };
    const delta = styleBucketDelta(vote);
    expect(delta).toMatchObject({ modelA: "alpha", modelB: "zeta", bucket: "-2", winsA: 0, winsB: 1 });
    const f = styleDifference(plain, fancy);
    expect(delta.moments).toHaveLength(STYLE_MOMENT_NAMES.length);
    // Each difference rounded to 2⁻¹²: within half a quantum of the exact one.
    for (let k = 0; k < 4; k++) expect(Math.abs(delta.moments[k]! - f[k]!)).toBeLessThanOrEqual(STYLE_QUANTUM / 2);
    expect(delta.moments.slice(0, 4).map((m) => m / STYLE_QUANTUM).every(Number.isInteger)).toBe(true);
    // Seen from alpha, the vote is a loss: y = 0, so the outcome-weighted sums are 0.
    expect(delta.moments.slice(4, 8)).toEqual([0, 0, 0, 0]);
    expect(delta.moments[STYLE_MOMENT_NAMES.indexOf("sq_tokens_headers")]).toBe(delta.moments[0]! * delta.moments[1]!);
    const buckets = new Map<string, StyleBucket>();
    foldStyleVote(buckets, vote);
    foldStyleVote(buckets, { modelA: "alpha", modelB: "zeta", winner: "tie", styleA: plain, styleB: fancy });
    expect([...buckets.values()]).toHaveLength(1);
    const row = [...buckets.values()][0]!;
    expect([row.winsA, row.winsB, row.ties]).toEqual([0, 1, 1]);
    expect(row.moments[0]).toBe(2 * delta.moments[0]!);
    expect(row.moments[4]).toBe(0.5 * delta.moments[0]!);
  });

  it("sums moments exactly, so any order or grouping of the same votes gives the same bits", () => {
    const rng = createRandom("exact-moments");
    const random = () => rng.next();
    const features = () => ({ tokens: Math.floor(random() * 5000), headers: Math.floor(random() * 9), listItems: Math.floor(random() * 30), bold: Math.floor(random() * 12) });
    const votes: Vote[] = Array.from({ length: 5000 }, () => ({ modelA: "a", modelB: "b", winner: random() < 0.5 ? "a" : "tie", styleA: features(), styleB: features() }));
    const sum = (list: Vote[]) => {
      const total = new Array<number>(STYLE_MOMENT_NAMES.length).fill(0);
      for (const v of list) styleBucketDelta(v).moments.forEach((m, k) => (total[k]! += m));
      return total;
    };
    const forward = sum(votes);
    const backward = sum([...votes].reverse());
    // In chunks, each chunk summed first and the chunk sums then added (the cron's fold and SQL).
    const chunked = new Array<number>(STYLE_MOMENT_NAMES.length).fill(0);
    for (let i = 0; i < votes.length; i += 777) sum(votes.slice(i, i + 777)).forEach((m, k) => (chunked[k]! += m));
    expect(backward).toEqual(forward);
    expect(chunked).toEqual(forward);
    // The stored integers are exact too.
    expect(forward.map(momentToStored).every(Number.isSafeInteger)).toBe(true);
    expect(forward.map(momentToStored).map(storedToMoment)).toEqual(forward);
  });

  it("refuses a vote without style features", () => {
    expect(() => styleBucketDelta({ modelA: "a", modelB: "b", winner: "a" })).toThrow(/no style features/);
  });
});

function simulate(seed: number, votes: number) {
  const rng = createRandom(seed);
  const truth = spreadRatings(20, 200);
  // Verbose models are also the strong ones: style is confounded with strength.
  const verbosity = truth.map((r) => (r - 1000) / 400 + 0.2 * sampleNormal(rng));
  const buckets = new Map<string, StyleBucket>();
  const perVote: StyleBucket[] = [];
  for (let v = 0; v < votes; v++) {
    const vote = simulateStyleVote(rng, truth, verbosity, [1, 0.3, 0.2, 0.1], 0.2);
    foldStyleVote(buckets, vote);
    perVote.push({ ...styleBucketDelta(vote), bucket: `vote-${v}` });
  }
  return { truth, bucketed: [...buckets.values()], perVote };
}

describe("style control", () => {
  const { truth, bucketed, perVote } = simulate(1, 100_000);
  const controlled = rankLeaderboard({ pairs: [], styleBuckets: bucketed }, { styleControl: true });

  it("recovers the true strengths that a plain fit confounds with verbosity", () => {
    const uncontrolled = rankLeaderboard({ pairs: perVote });
    const error = (b: Leaderboard) =>
      Math.max(...b.rows.map((r) => Math.abs(r.rating - truth[Number(r.model.slice(1))]!)));
    expect(error(controlled)).toBeLessThan(10);
    expect(error(uncontrolled)).toBeGreaterThan(30);
    expect(controlled.meta.styleControl).toBe(true);
    expect(controlled.meta.gamma!.tokens).toBeGreaterThan(0.3);
    expect(controlled.meta.gradientNorm).toBeLessThanOrEqual(1e-9);
  });

  it("length buckets with moments stay within 0.1 points, 0.1% on γ and 2% on widths of the exact per-vote fit", () => {
    expect(bucketed.length).toBeLessThan(2000);
    const exact = rankLeaderboard({ pairs: [], styleBuckets: perVote }, { styleControl: true });
    const exactRows = Object.fromEntries(exact.rows.map((r) => [r.model, r]));
    for (const row of controlled.rows) {
      const reference = exactRows[row.model]!;
      expect(Math.abs(row.rating - reference.rating)).toBeLessThan(0.1);
      expect(Math.abs((row.upper! - row.lower!) / (reference.upper! - reference.lower!) - 1)).toBeLessThan(0.02);
    }
    expect(Math.abs(controlled.meta.gamma!.tokens / exact.meta.gamma!.tokens - 1)).toBeLessThan(0.001);
    for (const key of ["headers", "listItems", "bold"] as const) {
      expect(Math.abs(controlled.meta.gamma![key] / exact.meta.gamma![key] - 1)).toBeLessThan(0.01);
    }
  });

  it("merging a pair's buckets by adding their columns (one row per pair) stays within 0.5 points", () => {
    const merged = new Map<string, StyleBucket>();
    for (const b of bucketed) {
      const key = `${b.modelA}|${b.modelB}`;
      const into = merged.get(key);
      if (!into) {
        merged.set(key, { ...b, bucket: "all", moments: [...b.moments] });
        continue;
      }
      into.winsA += b.winsA;
      into.winsB += b.winsB;
      into.ties += b.ties;
      into.bothBad += b.bothBad;
      b.moments.forEach((x, k) => (into.moments[k]! += x));
    }
    expect(merged.size).toBe(190);
    const coarse = rankLeaderboard({ pairs: [], styleBuckets: [...merged.values()] }, { styleControl: true });
    const exact = rankLeaderboard({ pairs: [], styleBuckets: perVote }, { styleControl: true });
    const reference = Object.fromEntries(exact.rows.map((r) => [r.model, r.rating]));
    for (const row of coarse.rows) expect(Math.abs(row.rating - reference[row.model]!)).toBeLessThan(0.5);
  });

  it("bootstraps style-controlled ratings with intervals close to the sandwich ones", () => {
    const boot = rankLeaderboard({ pairs: [], styleBuckets: bucketed }, { styleControl: true, ci: "bootstrap", rounds: 100, seed: 3 });
    const sandwich = Object.fromEntries(controlled.rows.map((r) => [r.model, r.upper! - r.lower!]));
    const ratios = boot.rows.map((r) => (r.upper! - r.lower!) / sandwich[r.model]!).sort((a, b) => a - b);
    expect(ratios[Math.floor(ratios.length / 2)]!).toBeGreaterThan(0.8);
    expect(ratios[Math.floor(ratios.length / 2)]!).toBeLessThan(1.25);
    expect(boot.meta.gamma).toEqual(controlled.meta.gamma);
  });

  it("needs style buckets in the input", () => {
    expect(() => rankLeaderboard({ pairs: [] }, { styleControl: true })).toThrow(/styleBuckets/);
  });
});
