/** How the vote caps' counters are spread over their shards (src/integrity/quotas.ts). */
import { describe, expect, it } from "vitest";
import { claimsByShard, QUOTA_SHARDS, quotaClaims, quotaShard } from "../../src/integrity/quotas";

describe("quotaShard", () => {
  it("is stable: a key's shard never moves (moving it would forget its count)", () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c; of "foobar" 0xbf9cf968.
    expect(quotaShard("a", 2 ** 16)).toBe(0xe40c292c % 2 ** 16);
    expect(quotaShard("foobar", 1000)).toBe(0xbf9cf968 % 1000);
    expect(quotaShard("prompt:abc")).toBe(quotaShard("prompt:abc"));
  });

  it("spreads keys evenly: 32,000 session keys land within 15 % of the mean in every shard", () => {
    const counts = new Array<number>(QUOTA_SHARDS).fill(0);
    for (let i = 0; i < 32_000; i++) counts[quotaShard(`session:${i.toString(36)}-${(i * 7919).toString(16)}:2026-12-07`)]! += 1;
    const mean = 32_000 / QUOTA_SHARDS;
    for (const count of counts) expect(Math.abs(count - mean) / mean).toBeLessThan(0.15);
  });
});

describe("claimsByShard", () => {
  it("groups a vote's claims by shard and keeps each claim's place", () => {
    const claims = quotaClaims({ sessionId: "s1", ipKey: "k".repeat(64), promptHash: "p".repeat(64) }, { perSessionPerDay: 1, perIpPerDay: 1, perPrompt: 1 }, Date.UTC(2026, 11, 7));
    const groups = claimsByShard(claims);
    const placed = [...groups.entries()].flatMap(([shard, group]) => group.map(({ index, claim }) => ({ shard, index, claim })));
    expect(placed.map((p) => p.index).sort()).toEqual([0, 1, 2]);
    for (const { shard, index, claim } of placed) {
      expect(claim).toBe(claims[index]);
      expect(shard).toBe(quotaShard(claim.key));
    }
    // All in one shard when there is one.
    expect([...claimsByShard(claims, 1).keys()]).toEqual([0]);
  });
});
