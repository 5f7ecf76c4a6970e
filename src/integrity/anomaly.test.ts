import { describe, expect, it } from "vitest";
import { seededRandom, type Random } from "../random";
import { foldVote, type PairCounts, type VoteOutcome } from "../ranking";
import { DEFAULT_ANOMALY_OPTIONS, favourPValue, fisherCombine, outcomePValue, testVoter as testWithKey, type AnomalyOptions, type VoterVote } from "./anomaly";

const KEY = "unit-test-key";
const testVoter = (votes: readonly VoterVote[], history: Map<string, PairCounts>, options: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS) => testWithKey(votes, history, options, KEY);
let nextId = 0;
const id = (): string => `v${nextId++}`;

describe("outcomePValue", () => {
  it("is P(rarer) + U·P(as rare) over the history pooled with the vote", () => {
    const counts = { first: 90, second: 8, draw: 2 };
    // Pooled with a "second" vote: 90 / 9 / 2; rarer is the 2 draws, as rare the 9.
    expect(outcomePValue(counts, "second", 1)).toBeCloseTo(11 / 101, 12);
    expect(outcomePValue(counts, "second", 0.5)).toBeCloseTo((2 + 4.5) / 101, 12);
    expect(outcomePValue(counts, "draw", 0.25)).toBeCloseTo(0.75 / 101, 12);
    // The crowd's common outcome is no longer always p = 1.
    expect(outcomePValue(counts, "first", 0.5)).toBeCloseTo((10 + 45.5) / 101, 12);
  });

  it("is U alone on an empty history", () => {
    expect(outcomePValue({ first: 0, second: 0, draw: 0 }, "first", 0.3)).toBeCloseTo(0.3, 12);
  });
});

describe("favourPValue", () => {
  it("orders loss < draw < win for the model tested", () => {
    const counts = { first: 50, second: 30, draw: 20 };
    expect(favourPValue(counts, "first", "first", 0.5)).toBeCloseTo(25.5 / 101, 12);
    expect(favourPValue(counts, "draw", "first", 0.5)).toBeCloseTo((50 + 10.5) / 101, 12);
    expect(favourPValue(counts, "second", "first", 0.5)).toBeCloseTo((70 + 15.5) / 101, 12);
    expect(favourPValue(counts, "second", "second", 1)).toBeCloseTo(31 / 101, 12);
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
    return { id: id(), modelA: MODELS[a]!, modelB: MODELS[b]!, winner: honestOutcome(rng, a, b), inHistory };
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
      return { id: id(), modelA: MODELS[opponent]!, modelB: MODELS[weak]!, winner: "b", inHistory: false };
    });
    const verdict = testVoter(bot, history);
    expect(verdict.tested).toBe(30);
    expect(verdict.flagged).toBe(true);
    expect(verdict.pValue).toBeLessThan(1e-6);
  });

  it("flags honest voters at rate alpha, not less (seeded, 4000 voters of 10 to 60 votes, alpha 5 %)", () => {
    // With exact p-values the two-sided test alone flags a Binomial(4000, ≤ 0.05) number; the
    // Bonferroni correction over the one-sided tests makes the total at most alpha. Upper bound:
    // alpha + 3.5 standard errors; lower bound shows the test is no longer conservative to the
    // point of blindness (the rank p-values flagged almost nobody).
    const options = { ...DEFAULT_ANOMALY_OPTIONS, alpha: 0.05 };
    const n = 4000;
    let flagged = 0;
    for (let v = 0; v < n; v++) if (testVoter(honestVotes(rng, 10 + (v % 51), false), history, options).flagged) flagged += 1;
    const se = Math.sqrt((0.05 * 0.95) / n);
    expect(flagged / n).toBeLessThan(0.05 + 3.5 * se);
    expect(flagged / n).toBeGreaterThan(0.01);
  });

  it("flags within 20 votes a bot that votes for a mid-table model whenever it sees it", () => {
    const target = 5;
    const bot = (n: number): VoterVote[] =>
      Array.from({ length: n }, (_, i) => {
        const opponent = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11][i % 11]!;
        return i % 2
          ? { id: `bot-${i}`, modelA: MODELS[target]!, modelB: MODELS[opponent]!, winner: "a", inHistory: false }
          : { id: `bot-${i}`, modelA: MODELS[opponent]!, modelB: MODELS[target]!, winner: "b", inHistory: false };
      });
    expect(testVoter(bot(20), history).flagged).toBe(true);
    expect(testVoter(bot(20), history).pValue).toBeLessThan(DEFAULT_ANOMALY_OPTIONS.alpha);
  });

  it("takes the voter's own votes out of the history they are tested against", () => {
    // A thin pair that the voter has voted on 200 times, always for the second model; the crowd 40 times for the first.
    const crowd: VoterVote[] = Array.from({ length: 40 }, () => ({ id: id(), modelA: "x", modelB: "y", winner: "a", inHistory: true }));
    const mine: VoterVote[] = Array.from({ length: 200 }, () => ({ id: id(), modelA: "x", modelB: "y", winner: "b", inHistory: true }));
    const both = historyOf([...crowd, ...mine]);
    const verdict = testVoter(mine, both);
    expect(verdict.flagged).toBe(true);
    // Tested against the history with their own votes left in, they would look like the crowd.
    expect(testVoter(mine.map((v) => ({ ...v, inHistory: false })), both).flagged).toBe(false);
  });

  it("does not judge voters with too few tested votes or pairs with too little history", () => {
    const bot: VoterVote[] = Array.from({ length: 9 }, () => ({ id: id(), modelA: MODELS[0]!, modelB: MODELS[11]!, winner: "b", inHistory: false }));
    expect(testVoter(bot, history)).toMatchObject({ tested: 9, flagged: false });
    const unseen: VoterVote[] = Array.from({ length: 50 }, () => ({ id: id(), modelA: "new-a", modelB: "new-b", winner: "a", inHistory: false }));
    expect(testVoter(unseen, history)).toEqual({ tested: 0, pValue: 1, flagged: false });
  });

  it("reads a vote the same whichever side the models were shown on", () => {
    const pair = { modelA: MODELS[0]!, modelB: MODELS[11]! };
    const shown = Array.from({ length: 20 }, () => ({ id: id(), ...pair, winner: "b" as const, inHistory: false }));
    const flipped = shown.map((v) => ({ id: v.id, modelA: pair.modelB, modelB: pair.modelA, winner: "a" as const, inHistory: false }));
    expect(testVoter(flipped, history)).toEqual(testVoter(shown, history));
  });
});
