/**
 * The vote log's Parquet codec runs inside workerd, not only in Node: written
 * and read back there, with the chain still verifying.
 */
import { describe, expect, it } from "vitest";
import { GENESIS, chainRecords, verifyChain } from "../../src/votelog/chain";
import { parquetToVotes, votesToParquet } from "../../src/votelog/parquet";
import type { PublicVoteRecord } from "../../src/votelog/record";

function record(i: number): PublicVoteRecord {
  const seq = 2 ** 40 + i * 2;
  const counted = i % 3 !== 0;
  return {
    seq,
    battleId: crypto.randomUUID(),
    mode: counted ? "anonymous" : "side-by-side",
    modelA: "modèle-ä",
    modelB: "模型-🦙",
    winner: (["a", "b", "tie", "bothbad"] as const)[i % 4]!,
    categories: i % 2 ? [] : ["code", "math"],
    turns: 1 + (i % 3),
    styleA: { tokens: i * 7, headers: i % 5, listItems: i % 11, bold: i % 2 },
    styleB: { tokens: i * 3, headers: 0, listItems: 1, bold: 2 },
    votedAt: 1_767_225_600_000 + i * 1000,
    counted,
    reason: counted ? null : "not_anonymous",
  };
}

describe("vote log Parquet in workerd", () => {
  it("writes and reads back the same chained records", async () => {
    const records = await chainRecords(GENESIS, Array.from({ length: 300 }, (_, i) => record(i)));
    const bytes = votesToParquet(records);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe("PAR1");
    const back = await parquetToVotes(bytes);
    expect(back).toEqual(records);
    expect((await verifyChain(GENESIS, back)).ok).toBe(true);
  });
});
