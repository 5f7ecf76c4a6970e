/**
 * The cron's boards and `edge-arena verify`'s recomputation agree to the
 * last bit on a log large enough for the cron to fold it in several chunks
 * and runs, with style features of every size, several categories, votes
 * that do not count: what a sceptic downloads
 * reproduces exactly what the arena published.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/ranking/random";
import { applyRecordWrite } from "../../worker/db/record";
import { runRankingCron } from "../../worker/leaderboard/cron";
import { expectLatestDatasetVerifies } from "./dataset-helpers";
import { registerModels } from "./helpers";

const MODELS = ["m-atlas", "m-birch", "m-cedar", "m-dune", "m-elm", "m-fjord"];
const CATEGORIES = [["overall"], ["overall", "coding"], ["overall", "math"], ["overall", "coding", "hard-prompts"]];

async function seed(from: number, count: number, seedName: string): Promise<void> {
  const rng = createRandom(seedName);
  const pick = (n: number) => Math.floor(rng.next() * n);
  const features = () => ({ tokens: pick(4000), headers: pick(7), listItems: pick(25), bold: pick(15) });
  for (let i = from; i < from + count; i++) {
    const a = pick(MODELS.length);
    const b = (a + 1 + pick(MODELS.length - 1)) % MODELS.length;
    const battleId = `exact-${i}`;
    const categories = CATEGORIES[pick(CATEGORIES.length)]!;
    const counted = rng.next() > 0.05;
    await applyRecordWrite(env.DB, { kind: "battle", row: { id: battleId, mode: "anonymous", modelA: MODELS[a]!, modelB: MODELS[b]!, categories } });
    await applyRecordWrite(env.DB, {
      kind: "vote",
      row: {
        battleId,
        mode: "anonymous",
        modelA: MODELS[a]!,
        modelB: MODELS[b]!,
        winner: (["a", "b", "tie", "bothbad"] as const)[pick(4)]!,
        counted,
        exclusionReason: counted ? null : "identity_revealed",
        categories,
        turns: 1 + pick(3),
        styleA: features(),
        styleB: features(),
        votedAt: 1_760_000_000_000 + i * 1000,
      },
    });
  }
}

describe("bit-exact recomputation", () => {
  it("reproduces every board, style control on and off, after several fold chunks and cron runs", async () => {
    await registerModels(...MODELS.map((id, k) => ({ id, name: id, organization: `Org ${k}`, provider: "openai" as const, behaviour: "ok-alpha" })));
    await seed(0, 1_500, "first");
    const first = await runRankingCron(env);
    expect(first.fold.folded).toBeGreaterThan(1_000);
    const dataset = await expectLatestDatasetVerifies();
    expect(new Set(dataset.publication.boards.map((b) => `${b.category}:${b.style}`))).toEqual(
      new Set(["overall", "coding", "math", "hard-prompts"].flatMap((c) => [`${c}:default`, `${c}:control`])),
    );
    // More votes, folded onto the stored sums in a later run.
    await seed(1_500, 700, "second");
    await runRankingCron(env, Date.now() + 1);
    const later = await expectLatestDatasetVerifies();
    expect(later.card.chainHead.seq).toBeGreaterThan(dataset.card.chainHead.seq);
    // The head is the last counted vote folded; every record up to it is in the files.
    expect(later.card.counts.records).toBe(later.card.chainHead.seq);
    expect(later.card.chainHead.seq).toBeGreaterThan(2_150);
  });
});
