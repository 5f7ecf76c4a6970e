import { describe, expect, it } from "vitest";
import { createRandom, logFactorial, sampleBinomial, sampleMultinomial } from "./random";

describe("seeded randomness", () => {
  it("repeats the same stream for the same seed, numeric or string, and differs across seeds", () => {
    const take = (seed: number | string) => Array.from({ length: 5 }, createRandom(seed).next);
    expect(take(42)).toEqual(take(42));
    expect(take("abc")).toEqual(take("abc"));
    expect(take(42)).not.toEqual(take(43));
    for (const x of take(7)) expect(x >= 0 && x < 1).toBe(true);
  });

  it("ln k! matches the exact sum on both sides of the table edge", () => {
    let exact = 0;
    for (let k = 1; k <= 400; k++) {
      exact += Math.log(k);
      expect(Math.abs(logFactorial(k) - exact)).toBeLessThan(1e-10 * Math.max(1, exact));
    }
  });

  it.each([
    [20, 0.1],
    [1000, 0.3],
    [1_000_000, 0.5],
    [10_000_000, 0.9],
  ])("Binomial(%i, %f) draws have the right mean and variance", (n, p) => {
    const rng = createRandom(`${n}:${p}`);
    const draws = 20_000;
    let sum = 0;
    let sumSq = 0;
    for (let k = 0; k < draws; k++) {
      const x = sampleBinomial(rng, n, p);
      expect(Number.isInteger(x) && x >= 0 && x <= n).toBe(true);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / draws;
    const variance = sumSq / draws - mean * mean;
    const sd = Math.sqrt(n * p * (1 - p));
    // The sample mean has SE sd/√draws; 5 SE is a comfortable bound for a fixed seed.
    expect(Math.abs(mean - n * p)).toBeLessThan((5 * sd) / Math.sqrt(draws));
    expect(variance / (sd * sd)).toBeGreaterThan(0.95);
    expect(variance / (sd * sd)).toBeLessThan(1.05);
  });

  it("Binomial draws put the right mass on each value (chi-square, n = 30, p = 0.4)", () => {
    const rng = createRandom(11);
    const n = 30;
    const p = 0.4;
    const draws = 50_000;
    const seen = new Float64Array(n + 1);
    for (let k = 0; k < draws; k++) seen[sampleBinomial(rng, n, p)]!++;
    let chi = 0;
    let cells = 0;
    for (let x = 0; x <= n; x++) {
      const expected = draws * Math.exp(logFactorial(n) - logFactorial(x) - logFactorial(n - x) + x * Math.log(p) + (n - x) * Math.log(1 - p));
      if (expected < 5) continue;
      chi += (seen[x]! - expected) ** 2 / expected;
      cells++;
    }
    // 99.9th percentile of chi-square with ~20 degrees of freedom is ≈ 45.
    expect(chi).toBeLessThan(45);
    expect(cells).toBeGreaterThan(15);
  });

  it("a multinomial draw sums to n, follows the weights and costs one binomial per cell", () => {
    const rng = createRandom(5);
    const out = new Float64Array(4);
    sampleMultinomial(rng, 10_000_000, [5, 3, 0, 2], out);
    expect(out.reduce((s, x) => s + x, 0)).toBe(10_000_000);
    expect(out[2]).toBe(0);
    expect(out[0]! / 1e7).toBeCloseTo(0.5, 3);
    expect(out[1]! / 1e7).toBeCloseTo(0.3, 3);
  });
});
