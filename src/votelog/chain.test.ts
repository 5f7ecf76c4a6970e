import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalRecordText, chainHash, chainRecords, GENESIS, GENESIS_HASH, verifyChain, type ChainedRecord } from "./chain";
import type { PublicVoteRecord } from "./record";

const style = { tokens: 120, headers: 1, listItems: 3, bold: 0 };
function record(seq: number, over: Partial<PublicVoteRecord> = {}): PublicVoteRecord {
  return { seq, battleId: `b-${seq}`, mode: "anonymous", modelA: "alpha", modelB: "bravo", winner: "a", categories: ["coding", "overall"], turns: 1, styleA: style, styleB: style, votedAt: 1_764_800_000_000 + seq, counted: true, reason: null, ...over };
}

describe("canonical JSON", () => {
  it("sorts keys at every level by UTF-16 code units and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, "x"], c: false } })).toBe('{"a":{"c":false,"d":[true,null,"x"]},"b":1}');
    // "Z" (U+005A) < "a" (U+0061) < "é" (U+00E9) < "😀" (surrogates D83D…)
    expect(canonicalJson({ "😀": 1, é: 2, a: 3, Z: 4 })).toBe('{"Z":4,"a":3,"é":2,"😀":1}');
  });

  it("escapes strings as JSON.stringify does and writes integers plainly", () => {
    expect(canonicalJson({ s: 'line\n"quote"\u0001', n: -0, big: 9_007_199_254_740_991 })).toBe('{"big":9007199254740991,"n":0,"s":"line\\n\\"quote\\"\\u0001"}');
  });

  it("refuses what a record never holds instead of rounding it", () => {
    expect(() => canonicalJson({ x: 0.5 })).toThrow(RangeError);
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(RangeError);
    expect(() => canonicalJson({ x: 2 ** 60 })).toThrow(RangeError);
    expect(() => canonicalJson({ x: () => 1 })).toThrow(TypeError);
  });
});

describe("a record's canonical text", () => {
  it("is canonicalJson of its fields, whatever the key order, extra fields or odd values", () => {
    const sorted = (r: object) => Object.fromEntries(Object.entries(r).sort(([x], [y]) => (x < y ? -1 : 1)));
    const sortedStyle = { bold: 0, headers: 1, listItems: 3, tokens: 120 };
    const cases: object[] = [
      record(1),
      sorted({ ...record(2), styleA: sortedStyle, styleB: sortedStyle }),
      sorted({ ...record(3, { modelA: 'é "quoted"\n\u0001', categories: [], reason: "identity_revealed", counted: false }), styleA: sortedStyle, styleB: sortedStyle, hash: "f".repeat(64) }),
      { ...sorted({ ...record(4), styleA: sortedStyle, styleB: sortedStyle }), extra: "field" },
      sorted({ ...record(5, { turns: -0 }), styleA: sortedStyle, styleB: sortedStyle }),
      sorted({ ...record(6), styleA: { ...sortedStyle, bold: 2 ** 60 }, styleB: sortedStyle }),
    ];
    for (const r of cases) {
      const { hash: _hash, ...fields } = r as ChainedRecord;
      let expected: string | Error;
      try {
        expected = canonicalJson(fields);
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) expect(() => canonicalRecordText(r as PublicVoteRecord)).toThrow(expected.constructor as ErrorConstructor);
      else expect(canonicalRecordText(r as PublicVoteRecord)).toBe(expected);
    }
  });
});

describe("the chain", () => {
  it("is SHA-256 of the previous hash's raw bytes then the canonical record, checked against Node's own SHA-256", async () => {
    const r = record(1);
    const expected = createHash("sha256").update(Buffer.concat([Buffer.alloc(32), Buffer.from(canonicalJson(r), "utf8")])).digest("hex");
    expect(await chainHash(GENESIS_HASH, r)).toBe(expected);
    const second = record(4, { modelA: "ünïcode-模型", reason: "vote_cap", counted: false });
    const expected2 = createHash("sha256").update(Buffer.concat([Buffer.from(expected, "hex"), Buffer.from(canonicalJson(second), "utf8")])).digest("hex");
    const [, chained] = await chainRecords(GENESIS, [r, second]);
    expect(chained!.hash).toBe(expected2);
  });

  it("refuses to chain a record that is not after the head", async () => {
    await expect(chainRecords(GENESIS, [record(2), record(2)])).rejects.toThrow(/not after 2/);
  });

  describe("verification names the first bad record", () => {
    let log: ChainedRecord[] = [];
    const build = async () => (log = await chainRecords(GENESIS, [1, 2, 3, 5, 8, 9].map((s) => record(s))));

    it("an untouched log verifies, with its head", async () => {
      await build();
      expect(await verifyChain(GENESIS, log)).toEqual({ ok: true, head: { seq: 9, hash: log.at(-1)!.hash } });
    });

    it("an edited record", async () => {
      const edited = log.map((r) => (r.seq === 3 ? { ...r, winner: "b" as const } : r));
      expect(await verifyChain(GENESIS, edited)).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 3 } });
    });

    it("an edited hash", async () => {
      const edited = log.map((r) => (r.seq === 5 ? { ...r, hash: GENESIS_HASH } : r));
      expect(await verifyChain(GENESIS, edited)).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 5 } });
    });

    it("a removed record: the next one no longer chains", async () => {
      expect(await verifyChain(GENESIS, log.filter((r) => r.seq !== 5))).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 8 } });
    });

    it("an inserted record", async () => {
      const forged = { ...record(4), hash: log[2]!.hash };
      expect(await verifyChain(GENESIS, [...log.slice(0, 3), forged, ...log.slice(3)])).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 4 } });
    });

    it("a reordered pair", async () => {
      const swapped = [log[0]!, log[2]!, log[1]!, ...log.slice(3)];
      expect(await verifyChain(GENESIS, swapped)).toMatchObject({ ok: false, problem: { kind: "hash_mismatch", seq: 3 } });
      expect(await verifyChain(GENESIS, [log[0]!, log[1]!, log[1]!])).toMatchObject({ ok: false, problem: { kind: "out_of_order", seq: 2, after: 2 } });
    });

    it("a segment verifies on its own from the head before it", async () => {
      expect(await verifyChain({ seq: 3, hash: log[2]!.hash }, log.slice(3))).toMatchObject({ ok: true, head: { seq: 9 } });
    });
  });
});
