import { describe, expect, it } from "vitest";
import { foldVote } from "./aggregate";
import { foldStyleVote } from "./style";
import { mergeStyleBucketsPerPair, MERGED_STYLE_BUCKET, subtractPairCounts, subtractStyleBuckets } from "./subtract";
import type { PairCounts, StyleBucket, Vote } from "./types";

const plain = { tokens: 100, headers: 0, listItems: 0, bold: 1 };
const fancy = { tokens: 300, headers: 2, listItems: 0, bold: 1 };

const honest: Vote[] = [
  { modelA: "alpha", modelB: "zeta", winner: "a", styleA: fancy, styleB: plain },
  { modelA: "zeta", modelB: "alpha", winner: "b", styleA: plain, styleB: fancy },
  { modelA: "alpha", modelB: "mu", winner: "tie", styleA: plain, styleB: plain },
  { modelA: "mu", modelB: "zeta", winner: "bothbad", styleA: fancy, styleB: fancy },
];
const removed: Vote[] = [
  { modelA: "zeta", modelB: "alpha", winner: "a", styleA: fancy, styleB: plain },
  { modelA: "alpha", modelB: "zeta", winner: "b", styleA: plain, styleB: plain },
  { modelA: "mu", modelB: "alpha", winner: "a", styleA: plain, styleB: fancy },
];

function pairsOf(votes: Vote[]): Map<string, PairCounts> {
  const map = new Map<string, PairCounts>();
  for (const v of votes) foldVote(map, v);
  return map;
}

function bucketsOf(votes: Vote[]): Map<string, StyleBucket> {
  const map = new Map<string, StyleBucket>();
  for (const v of votes) foldStyleVote(map, v);
  return map;
}

const byPair = (rows: PairCounts[]) => [...rows].sort((x, y) => (x.modelA + x.modelB < y.modelA + y.modelB ? -1 : 1));

function expectSameBuckets(actual: StyleBucket[], expected: StyleBucket[]): void {
  const key = (b: StyleBucket) => `${b.modelA}/${b.modelB}/${b.bucket}`;
  const want = new Map(expected.map((b) => [key(b), b]));
  expect(actual.map(key).sort()).toEqual([...want.keys()].sort());
  for (const row of actual) {
    const other = want.get(key(row))!;
    expect([row.winsA, row.winsB, row.ties, row.bothBad]).toEqual([other.winsA, other.winsB, other.ties, other.bothBad]);
    row.moments.forEach((m, k) => expect(m).toBeCloseTo(other.moments[k]!, 12));
  }
}

describe("subtractPairCounts", () => {
  it("gives the aggregate of the votes that remain", () => {
    const all = [...pairsOf([...honest, ...removed]).values()];
    expect(byPair(subtractPairCounts(all, pairsOf(removed)))).toEqual(byPair([...pairsOf(honest).values()]));
  });

  it("drops a pair whose every vote is removed", () => {
    const only = pairsOf(removed.slice(2));
    const all = [...pairsOf([...honest.slice(0, 2), ...removed.slice(2)]).values()];
    const left = subtractPairCounts(all, only);
    expect(left.map((p) => `${p.modelA}/${p.modelB}`)).toEqual(["alpha/zeta"]);
  });

  it("returns the rows unchanged when nothing is removed", () => {
    const all = [...pairsOf(honest).values()];
    expect(subtractPairCounts(all, new Map())).toEqual(all);
  });

  it("refuses to remove votes the aggregate does not hold", () => {
    const all = [...pairsOf(honest).values()];
    expect(() => subtractPairCounts(all, pairsOf([...removed, ...removed, ...removed]))).toThrow(RangeError);
    expect(() => subtractPairCounts(all, pairsOf([{ modelA: "nu", modelB: "mu", winner: "a" }]))).toThrow(/no aggregate row/);
  });
});

describe("subtractStyleBuckets", () => {
  it("gives the buckets and moments of the votes that remain", () => {
    const all = [...bucketsOf([...honest, ...removed]).values()];
    expectSameBuckets(subtractStyleBuckets(all, bucketsOf(removed)), [...bucketsOf(honest).values()]);
  });

  it("drops a bucket whose every vote is removed", () => {
    const all = [...bucketsOf([...honest, ...removed]).values()];
    const left = subtractStyleBuckets(all, bucketsOf([...honest, ...removed]));
    expect(left).toEqual([]);
  });

  it("works on buckets merged per pair, as large categories are read", () => {
    const all = [...mergeStyleBucketsPerPair(bucketsOf([...honest, ...removed]).values()).values()];
    expect(all.every((b) => b.bucket === MERGED_STYLE_BUCKET)).toBe(true);
    const left = subtractStyleBuckets(all, mergeStyleBucketsPerPair(bucketsOf(removed).values()));
    expectSameBuckets(left, [...mergeStyleBucketsPerPair(bucketsOf(honest).values()).values()]);
  });

  it("refuses to remove votes the aggregate does not hold", () => {
    const all = [...bucketsOf(honest).values()];
    expect(() => subtractStyleBuckets(all, bucketsOf([...removed, ...removed]))).toThrow(RangeError);
  });
});
