import { describe, expect, it } from "vitest";
import { foldVote, PairFold } from "./aggregate";
import { createRandom } from "./random";
import type { PairCounts, VoteOutcome } from "./types";

describe("PairFold", () => {
  it("gives the rows foldVote gives, in the same order, on random votes", () => {
    const rng = createRandom("pair-fold");
    const models = ["m1", "m2", "m3", "m4", "é-model"];
    const outcomes: VoteOutcome[] = ["a", "b", "tie", "bothbad"];
    const fold = new PairFold();
    const map = new Map<string, PairCounts>();
    for (let k = 0; k < 2_000; k++) {
      const a = Math.floor(rng.next() * models.length);
      const b = (a + 1 + Math.floor(rng.next() * (models.length - 1))) % models.length;
      const vote = { modelA: models[a]!, modelB: models[b]!, winner: outcomes[Math.floor(rng.next() * 4)]! };
      fold.add(vote.modelA, vote.modelB, vote.winner);
      foldVote(map, vote);
    }
    expect(fold.rows()).toEqual([...map.values()]);
  });

  it("refuses a model battling itself", () => {
    expect(() => new PairFold().add("m1", "m1", "a")).toThrow(RangeError);
  });
});
