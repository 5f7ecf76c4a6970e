import { describe, expect, it } from "vitest";
import { seededRandom, type Random } from "../random";
import { foldVote, type PairCounts, type VoteOutcome } from "../ranking";
import { DEFAULT_ANOMALY_OPTIONS, fisherCombine, outcomePValue, testVoter, type VoterVote } from "./anomaly";

describe("outcomePValue", () => {
  it("sums the outcomes at least as rare, with the +1 of a rank p-value", () => {
    const counts = { first: 90, second: 8, draw: 2 };
    expect(outcomePValue(counts, "second")).toBeCloseTo(11 / 101, 12);
    expect(outcomePValue(counts, "draw")).toBeCloseTo(3 / 101, 12);
    expect(outcomePValue(counts, "first")).toBe(1);
  });

  it("is 1 on an empty history", () => {
    expect(outcomePValue({ first: 0, second: 0, draw: 0 }, "first")).toBe(1);
  });
});

describe("fisherCombine", () => {
  it("returns a single p-value unchanged", () => {
    for (const p of [0.5, 0.05, 1e-6]) expect(fisherCombine([p])).toBeCloseTo(p, 12);
  });

  it("matches the χ² tail with 4 degrees of freedom for two p-values", () => {
    // −2 ln(0.1·0.2) = 7.824; χ²₄ tail = e^(−x/2)(1 + x/2)
    const x = -2 * Math.log(0.02);
    expect(fisherCombine([0.1, 0.2])).toBeCloseTo(Math.exp(-x / 2) * (1 + x / 2), 12);
  });

  it("stays finite and in [0, 1] for thousands of votes", () => {
    const uniform = Array.from({ length: 5000 }, (_, i) => (i + 0.5) / 5000);
    const p = fisherCombine(uniform);
    expect(p).toBeGreaterThan(0.01);
    expect(p).toBeLessThanOrEqual(1);
    expect(fisherCombine(Array.from({ length: 5000 }, () => 0.01))).toBe(0);
    expect(fisherCombine([])).toBe(1);
    expect(fisherCombine([1, 1, 1])).toBe(1);
  });
});

/** Models ranked by strength; model i beats model j with a logistic chance. */
const MODELS = Array.from({ length: 12 }, (_, i) => `m${String(i).padStart(2, "0")}`);
function honestOutcome(rng: Random, a: number, b: number): VoteOutcome {
  if (rng() < 0.1) return "tie";
  const pA = 1 / (1 + Math.exp((a - b) * 0.35));
  return rng() < pA ? "a" : "b";
}
function randomPair(rng: Random): [number, number] {
  const a = Math.floor(rng() * MODELS.length);
  let b = Math.floor(rng() * (MODELS.length - 1));
  if (b >= a) b += 1;
  return [a, b];
}
function honestVotes(rng: Random, n: number, inHistory: boolean): VoterVote[] {
  return Array.from({ length: n }, () => {
    const [a, b] = randomPair(rng);
    return { modelA: MODELS[a]!, modelB: MODELS[b]!, winner: honestOutcome(rng, a, b), inHistory };
  });
}
function historyOf(votes: readonly VoterVote[]): Map<string, PairCounts> {
  const history = new Map<string, PairCounts>();
  for (const vote of votes) foldVote(history, vote);
  return history;
}

describe("testVoter", () => {
  const rng = seededRandom(7);
  const history = historyOf(honestVotes(rng, 40_000, true));

  it("flags a bot that always votes for a weak model", () => {
    const weak = MODELS.length - 1;
    const bot: VoterVote[] = Array.from({ length: 30 }, (_, i) => {
      const opponent = i % (MODELS.length - 1);
      return { modelA: MODELS[opponent]!, modelB: MODELS[weak]!, winner: "b", inHistory: false };
    });
    const verdict = testVoter(bot, history);
    expect(verdict.tested).toBe(30);
    expect(verdict.flagged).toBe(true);
    expect(verdict.pValue).toBeLessThan(1e-6);
  });

  it("flags at most alpha of honest voters (seeded, 2000 voters of 10 to 60 votes)", () => {
    const options = { ...DEFAULT_ANOMALY_OPTIONS, alpha: 0.01 };
    let flagged = 0;
    for (let v = 0; v < 2000; v++) {
      if (testVoter(honestVotes(rng, 10 + (v % 51), false), history, options).flagged) flagged += 1;
    }
    expect(flagged / 2000).toBeLessThan(0.01);
  });

  it("takes the voter's own votes out of the history they are tested against", () => {
    // A thin pair that the voter alone has voted on 40 times, always for the second model.
    const crowd: VoterVote[] = Array.from({ length: 40 }, () => ({ modelA: "x", modelB: "y", winner: "a", inHistory: true }));
    const mine: VoterVote[] = Array.from({ length: 40 }, () => ({ modelA: "x", modelB: "y", winner: "b", inHistory: true }));
    const both = historyOf([...crowd, ...mine]);
    const verdict = testVoter(mine, both);
    expect(verdict.flagged).toBe(true);
    // Tested against the history with their own votes left in, they would look half-normal.
    expect(testVoter(mine.map((v) => ({ ...v, inHistory: false })), both).flagged).toBe(false);
  });

  it("does not judge voters with too few tested votes or pairs with too little history", () => {
    const bot: VoterVote[] = Array.from({ length: 9 }, () => ({ modelA: MODELS[0]!, modelB: MODELS[11]!, winner: "b", inHistory: false }));
    expect(testVoter(bot, history)).toMatchObject({ tested: 9, flagged: false });
    const unseen: VoterVote[] = Array.from({ length: 50 }, () => ({ modelA: "new-a", modelB: "new-b", winner: "a", inHistory: false }));
    expect(testVoter(unseen, history)).toEqual({ tested: 0, pValue: 1, flagged: false });
  });

  it("reads a vote the same whichever side the models were shown on", () => {
    const pair = { modelA: MODELS[0]!, modelB: MODELS[11]! };
    const shown = Array.from({ length: 20 }, () => ({ ...pair, winner: "b" as const, inHistory: false }));
    const flipped = shown.map(() => ({ modelA: pair.modelB, modelB: pair.modelA, winner: "a" as const, inHistory: false }));
    expect(testVoter(flipped, history)).toEqual(testVoter(shown, history));
  });
});
