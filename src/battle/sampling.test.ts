import { describe, expect, it } from "vitest";
import { seededRandom } from "../random";
import { effectiveWeight, samplePair, type SamplingCandidate, type SamplingPolicy } from "./sampling";

const policy: SamplingPolicy = { modality: "text", newModelBoost: 3, boostUntilVotes: 100 };

function model(id: string, extra: Partial<SamplingCandidate> = {}): SamplingCandidate {
  return { id, arenas: ["text"], status: "active", weight: 1, countedVotes: 1_000, ...extra };
}

function tally(models: SamplingCandidate[], draws: number, seed = 7) {
  const rng = seededRandom(seed);
  const appearances = new Map<string, number>();
  const onA = new Map<string, number>();
  for (let i = 0; i < draws; i++) {
    const pair = samplePair(models, policy, rng);
    expect(pair.a.id).not.toBe(pair.b.id);
    for (const m of [pair.a, pair.b]) appearances.set(m.id, (appearances.get(m.id) ?? 0) + 1);
    onA.set(pair.a.id, (onA.get(pair.a.id) ?? 0) + 1);
  }
  return { appearances, onA };
}

describe("pair sampling", () => {
  it("is deterministic for a seed", () => {
    const models = ["m1", "m2", "m3", "m4"].map((id) => model(id));
    const draw = (seed: number) => {
      const rng = seededRandom(seed);
      return Array.from({ length: 20 }, () => samplePair(models, policy, rng)).map((p) => `${p.a.id}:${p.b.id}`);
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it("never pairs a model with itself and puts each model on each side about equally", () => {
    const models = ["m1", "m2", "m3"].map((id) => model(id));
    const { appearances, onA } = tally(models, 6_000);
    for (const id of ["m1", "m2", "m3"]) {
      // Each model is in 2/3 of battles: 4,000 ± 3σ (σ ≈ 37).
      expect(Math.abs(appearances.get(id)! - 4_000)).toBeLessThan(120);
      // And on side A half of those times.
      expect(Math.abs(onA.get(id)! / appearances.get(id)! - 0.5)).toBeLessThan(0.04);
    }
  });

  it("draws by weight and never draws a model of weight 0", () => {
    const models = [model("heavy", { weight: 4 }), model("light"), model("other"), model("down", { weight: 0 })];
    const { appearances } = tally(models, 5_000);
    expect(appearances.get("down")).toBeUndefined();
    expect(appearances.get("heavy")!).toBeGreaterThan(appearances.get("light")! * 1.5);
  });

  it("boosts new models until they have enough counted votes", () => {
    expect(effectiveWeight(model("new", { countedVotes: 10 }), policy)).toBe(3);
    expect(effectiveWeight(model("old", { countedVotes: 100 }), policy)).toBe(1);
  });

  it("samples previews like others, and never retired models or other modalities", () => {
    expect(effectiveWeight(model("p", { status: "preview" }), policy)).toBe(1);
    expect(effectiveWeight(model("r", { status: "retired" }), policy)).toBe(0);
    expect(effectiveWeight(model("img", { arenas: ["text-to-image"] }), policy)).toBe(0);
  });

  it("refuses with no_models_available when fewer than two can be drawn", () => {
    const rng = seededRandom(1);
    expect(() => samplePair([model("solo"), model("off", { weight: 0 })], policy, rng)).toThrow(/fewer than two/);
    expect(() => samplePair([model("twin"), model("twin")], policy, rng)).toThrow(/fewer than two/);
  });
});
