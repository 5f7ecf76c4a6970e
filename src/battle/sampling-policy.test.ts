import { describe, expect, it } from "vitest";
import { seededRandom } from "../random";
import { samplePair, type SamplingCandidate, type SamplingPolicy } from "./sampling";
import { modelWeight, pairShares, weightChanges } from "./sampling-policy";

const policy: SamplingPolicy = { modality: "text", newModelBoost: 3, boostUntilVotes: 1000 };
const model = (id: string, over: Partial<SamplingCandidate> = {}): SamplingCandidate => ({ id, arenas: ["text"], status: "active", weight: 1, countedVotes: 5_000, ...over });

describe("modelWeight", () => {
  it("says why each model has its weight", () => {
    expect(modelWeight(model("a"), policy)).toEqual({ id: "a", weight: 1, reason: "equal" });
    expect(modelWeight(model("b", { countedVotes: 10 }), policy)).toEqual({ id: "b", weight: 3, reason: "new_model_boost" });
    expect(modelWeight(model("c", { weight: 0 }), policy)).toEqual({ id: "c", weight: 0, reason: "outage" });
    expect(modelWeight(model("d", { status: "retired" }), policy)).toEqual({ id: "d", weight: 0, reason: "not_sampled" });
    expect(modelWeight(model("e", { countedVotes: 10 }), { ...policy, newModelBoost: 1 }).reason).toBe("equal");
  });
});

describe("pairShares", () => {
  it("gives equal models equal shares summing to 2 (two models a battle)", () => {
    const shares = pairShares(["a", "b", "c", "d"].map((id) => ({ id, weight: 1 })));
    for (const s of Object.values(shares)) expect(s).toBeCloseTo(0.5, 12);
  });

  it("matches the share of battles samplePair actually gives, within Monte-Carlo error", () => {
    const candidates = [model("a"), model("b"), model("c", { countedVotes: 3 }), model("d", { weight: 0.5 }), model("e", { weight: 0 })];
    const expected = pairShares(candidates.map((m) => modelWeight(m, policy)));
    const rng = seededRandom(2026);
    const seen: Record<string, number> = {};
    const draws = 40_000;
    for (let i = 0; i < draws; i++) {
      const pair = samplePair(candidates, policy, rng);
      for (const side of [pair.a, pair.b]) seen[side.id] = (seen[side.id] ?? 0) + 1;
    }
    for (const [id, share] of Object.entries(expected)) {
      const observed = (seen[id] ?? 0) / draws;
      // Binomial standard error at most 0.0025 here; 4 of them.
      expect(Math.abs(observed - share), id).toBeLessThan(0.01);
    }
    expect(expected.e).toBe(0);
    expect(Object.values(expected).reduce((s, x) => s + x, 0)).toBeCloseTo(2, 12);
  });

  it("gives nothing when fewer than two models can be drawn", () => {
    expect(pairShares([{ id: "a", weight: 1 }, { id: "b", weight: 0 }])).toEqual({ a: 0, b: 0 });
  });
});

describe("weightChanges", () => {
  it("dates every change with the new weight's reason, and nothing else", () => {
    const at = new Date("2026-12-04T12:00:00Z");
    const before = [modelWeight(model("a", { countedVotes: 999 }), policy), modelWeight(model("b"), policy)];
    const after = [modelWeight(model("a", { countedVotes: 1000 }), policy), modelWeight(model("b"), policy), modelWeight(model("c", { weight: 0 }), policy)];
    expect(weightChanges(before, after, at)).toEqual([
      { modelId: "a", at: "2026-12-04T12:00:00.000Z", fromWeight: 3, toWeight: 1, reason: "equal" },
      { modelId: "c", at: "2026-12-04T12:00:00.000Z", fromWeight: 0, toWeight: 0, reason: "outage" },
    ]);
    expect(weightChanges(after, after, at)).toEqual([]);
  });
});
