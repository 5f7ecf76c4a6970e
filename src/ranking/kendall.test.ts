import { describe, expect, it } from "vitest";
import { kendallTauB } from "./kendall";

describe("Kendall's tau-b", () => {
  it("counts concordant minus discordant pairs, with ties on either side left out of the denominator", () => {
    expect(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(4 / 6, 15);
    // 4 concordant, 0 discordant, one tie in x and one in y among 6 pairs: 4 / √(5·5).
    expect(kendallTauB([1, 1, 2, 3], [1, 2, 2, 3])).toBeCloseTo(0.8, 15);
    expect(kendallTauB([1], [2])).toBeNull();
    expect(kendallTauB([5, 5], [1, 2])).toBeNull();
  });

  it("refuses samples of different lengths", () => {
    expect(() => kendallTauB([1, 2], [1])).toThrow(RangeError);
  });
});
