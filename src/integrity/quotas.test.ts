import { describe, expect, it } from "vitest";
import { normalizePrompt, quotaClaims, refusalReason, utcDay, type VoteCaps } from "./quotas";

const caps: VoteCaps = { perSessionPerDay: 50, perIpPerDay: 200, perPrompt: 50 };
const voter = { sessionId: "s1", ipKey: "ip1", promptHash: "p1" };

describe("vote quotas", () => {
  it("names the UTC day of a timestamp", () => {
    expect(utcDay(Date.parse("2026-12-04T23:59:59Z"))).toBe("2026-12-04");
    expect(utcDay(Date.parse("2026-12-05T00:00:00Z"))).toBe("2026-12-05");
  });

  it("treats case, spacing and Unicode variants of a prompt as one prompt", () => {
    expect(normalizePrompt("  Hello\n\t WORLD ")).toBe("hello world");
    expect(normalizePrompt("ｈｅｌｌｏ")).toBe("hello");
    expect(normalizePrompt("hello world")).not.toBe(normalizePrompt("hello, world"));
  });

  it("claims the prompt forever and the session and IP for the day", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    const claims = quotaClaims(voter, caps, now);
    expect(claims.map((c) => c.key)).toEqual(["prompt:p1", "session:s1:2026-12-04", "ip:ip1:2026-12-04"]);
    expect(claims.map((c) => c.limit)).toEqual([50, 50, 200]);
    expect(claims[0]!.expiresAt).toBeNull();
    expect(claims[1]!.expiresAt).toBe(Date.parse("2026-12-06T00:00:00Z"));
  });

  it("a new day gives the session and the IP fresh counters but not the prompt", () => {
    const today = quotaClaims(voter, caps, Date.parse("2026-12-04T23:00:00Z"));
    const tomorrow = quotaClaims(voter, caps, Date.parse("2026-12-05T01:00:00Z"));
    expect(tomorrow[0]!.key).toBe(today[0]!.key);
    expect(tomorrow[1]!.key).not.toBe(today[1]!.key);
    expect(tomorrow[2]!.key).not.toBe(today[2]!.key);
  });

  it("reports duplicate_prompt before vote_cap, and nothing when every claim was granted", () => {
    const claims = quotaClaims(voter, caps, 0);
    expect(refusalReason(claims, [true, true, true])).toBeNull();
    expect(refusalReason(claims, [true, false, true])).toBe("vote_cap");
    expect(refusalReason(claims, [true, true, false])).toBe("vote_cap");
    expect(refusalReason(claims, [false, false, false])).toBe("duplicate_prompt");
  });
});
