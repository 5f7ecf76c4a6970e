import { describe, expect, it } from "vitest";
import { afterFailure, retryDelayMs, type OutboxPolicy } from "../../worker/battle/outbox";

const policy: OutboxPolicy = { maxAttempts: 12, minDelayMs: 1_000, maxDelayMs: 60_000 };

describe("the outbox retry policy", () => {
  it("doubles the wait from one second up to the cap", () => {
    const waits = Array.from({ length: 11 }, (_, i) => retryDelayMs(i + 1, policy));
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000, 60_000]);
    expect(waits.reduce((sum, wait) => sum + wait, 0)).toBe(363_000);
  });

  it("stays at the cap however many failures there were", () => {
    expect(retryDelayMs(5_000, policy)).toBe(60_000);
  });

  it("retries before the cap and dead-letters at it", () => {
    expect(afterFailure(11, 100, policy)).toEqual({ action: "retry", nextAttemptAt: 60_100 });
    expect(afterFailure(12, 100, policy)).toEqual({ action: "dead-letter" });
    expect(afterFailure(1, 0, { ...policy, maxAttempts: 1 })).toEqual({ action: "dead-letter" });
  });
});
