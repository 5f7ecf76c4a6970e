import { describe, expect, it } from "vitest";
import { seededRandom } from "../random";
import { DEFAULT_RETRY_POLICY, QUEUE_MAX_DELAY_SECONDS, nextAttemptDelay } from "./retry-policy";

describe("nextAttemptDelay", () => {
  it("dead-letters after the last allowed attempt, never before", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
    expect(nextAttemptDelay(1, () => 0.5, policy).action).toBe("retry");
    expect(nextAttemptDelay(2, () => 0.5, policy).action).toBe("retry");
    expect(nextAttemptDelay(3, () => 0.5, policy)).toEqual({ action: "dead-letter" });
  });

  it("waits a whole number of seconds within the doubling ceiling, at least one", () => {
    const random = seededRandom(7);
    for (let attempt = 1; attempt < DEFAULT_RETRY_POLICY.maxAttempts; attempt++) {
      const ceiling = Math.min(3_600, 60 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const decision = nextAttemptDelay(attempt, random, DEFAULT_RETRY_POLICY);
        if (decision.action !== "retry") throw new Error("expected a retry");
        expect(Number.isInteger(decision.delaySeconds)).toBe(true);
        expect(decision.delaySeconds).toBeGreaterThanOrEqual(1);
        expect(decision.delaySeconds).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it("spreads retries over the window (full jitter), not at its end", () => {
    const random = seededRandom(11);
    const delays = Array.from({ length: 2_000 }, () => nextAttemptDelay(5, random, DEFAULT_RETRY_POLICY)).map((d) => (d.action === "retry" ? d.delaySeconds : NaN));
    const mean = delays.reduce((s, d) => s + d, 0) / delays.length;
    // Uniform on [1, 960]: mean ≈ 480.
    expect(mean).toBeGreaterThan(440);
    expect(mean).toBeLessThan(520);
  });

  it("never exceeds the queue's longest delay, whatever the policy says", () => {
    const decision = nextAttemptDelay(40, () => 0.999999, { baseSeconds: 3_600, capSeconds: 10 ** 9, maxAttempts: 100 });
    expect(decision).toEqual({ action: "retry", delaySeconds: QUEUE_MAX_DELAY_SECONDS });
  });

  it("keeps a one-second floor with a sub-second base", () => {
    expect(nextAttemptDelay(1, () => 0, { baseSeconds: 0.1, capSeconds: 60, maxAttempts: 5 })).toEqual({ action: "retry", delaySeconds: 1 });
  });
});
