import { describe, expect, it } from "vitest";
import { portableExp, portableLog1p } from "./portable-math";
import { createRandom } from "./random";
import { PORTABLE_MATH_FINGERPRINT, portableMathFingerprint } from "../../test/portable-math-fingerprint";

const ulpsApart = (a: number, b: number) => Math.abs(a - b) / (Math.abs(b) * Number.EPSILON);

describe("portable exp and log1p", () => {
  it("agree with Math.exp and Math.log1p to within 3 ulp across their ranges", () => {
    const rng = createRandom("portable-math");
    let worstExp = 0;
    let worstLog = 0;
    for (let k = 0; k < 50_000; k++) {
      const x = (rng.next() - 0.5) * 1400;
      worstExp = Math.max(worstExp, ulpsApart(portableExp(x), Math.exp(x)));
      const y = Math.exp((rng.next() - 0.7) * 60);
      worstLog = Math.max(worstLog, ulpsApart(portableLog1p(y), Math.log1p(y)));
      const small = (rng.next() - 0.5) * 2e-4;
      if (small !== 0) worstLog = Math.max(worstLog, ulpsApart(portableLog1p(small), Math.log1p(small)));
    }
    expect(worstExp).toBeLessThan(3);
    expect(worstLog).toBeLessThan(3);
  });

  it("handles the edges", () => {
    expect(portableExp(0)).toBe(1);
    expect(portableExp(1)).toBeCloseTo(Math.E, 15);
    expect(portableExp(800)).toBe(Infinity);
    expect(portableExp(-800)).toBe(0);
    expect(portableExp(-740)).toBeGreaterThan(0);
    expect(Math.abs(portableExp(-740) / Math.exp(-740) - 1)).toBeLessThan(1e-6); // subnormal: fewer significant bits
    expect(Number.isNaN(portableExp(NaN))).toBe(true);
    expect(portableLog1p(0)).toBe(0);
    expect(portableLog1p(-1)).toBe(-Infinity);
    expect(Number.isNaN(portableLog1p(-2))).toBe(true);
    expect(portableLog1p(1e-300)).toBe(1e-300);
    expect(portableLog1p(Number.MAX_VALUE)).toBeCloseTo(Math.log1p(Number.MAX_VALUE), 10);
  });

  it("gives the same bits here as in workerd (the worker project asserts the same fingerprint)", () => {
    expect(portableMathFingerprint()).toBe(PORTABLE_MATH_FINGERPRINT);
  });
});

