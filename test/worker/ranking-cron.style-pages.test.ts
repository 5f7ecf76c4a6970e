/**
 * The cron reads a category's style buckets from D1 in pages (publish.ts):
 * a category with more buckets than one page is ranked from all of them,
 * exactly as the engine ranks the same buckets handed over at once.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createRandom, foldStyleVote, foldVote, rankLeaderboard, type PairCounts, type StyleBucket, type Vote } from "../../src/ranking";
import { momentToStored, STYLE_MOMENT_NAMES } from "../../src/ranking/style";
import type { PublishedLeaderboard } from "../../src/wire";
import { publishLeaderboards } from "../../worker/leaderboard/publish";

const MODELS = 160;
const ROWS_PER_INSERT = 4_000;

/** Two votes per pair in two length buckets: 12,720 pairs, 25,440 style buckets. */
function syntheticArena(): { pairs: PairCounts[]; buckets: StyleBucket[]; votes: number } {
  const rng = createRandom("style-pages");
  const ids = Array.from({ length: MODELS }, (_, k) => `m${String(k).padStart(3, "0")}`);
  const pairs = new Map<string, PairCounts>();
  const buckets = new Map<string, StyleBucket>();
  let votes = 0;
  for (let i = 0; i < MODELS; i++) {
    for (let j = i + 1; j < MODELS; j++) {
      for (const tokensA of [300, 110]) {
        const strongerA = rng.next() < 0.5 + (j - i) / (2 * MODELS);
        const vote: Vote = {
          modelA: ids[i]!,
          modelB: ids[j]!,
          winner: rng.next() < 0.1 ? "tie" : strongerA ? "a" : "b",
          styleA: { tokens: tokensA, headers: Math.floor(rng.next() * 3), listItems: Math.floor(rng.next() * 5), bold: 1 },
          styleB: { tokens: 100, headers: 1, listItems: 2, bold: Math.floor(rng.next() * 2) },
        };
        foldVote(pairs, vote);
        foldStyleVote(buckets, vote);
        votes++;
      }
    }
  }
  return { pairs: [...pairs.values()], buckets: [...buckets.values()], votes };
}

async function insertRows(table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const sql = `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${columns.map((_, k) => `value ->> ${k}`).join(", ")} FROM json_each(?1)`;
  for (let k = 0; k < rows.length; k += ROWS_PER_INSERT) {
    await env.DB.prepare(sql).bind(JSON.stringify(rows.slice(k, k + ROWS_PER_INSERT))).run();
  }
}

/** Stores an arena's aggregates under `category`, with a watermark covering its votes. */
async function seedAggregates(category: string, arena: ReturnType<typeof syntheticArena>): Promise<void> {
  await insertRows(
    "pair_counts",
    ["category", "model_a", "model_b", "wins_a", "wins_b", "ties", "both_bad"],
    arena.pairs.map((p) => [category, p.modelA, p.modelB, p.winsA, p.winsB, p.ties, p.bothBad]),
  );
  await insertRows(
    "style_buckets",
    ["category", "model_a", "model_b", "bucket", "wins_a", "wins_b", "ties", "both_bad", ...STYLE_MOMENT_NAMES],
    arena.buckets.map((b) => [category, b.modelA, b.modelB, b.bucket, b.winsA, b.winsB, b.ties, b.bothBad, ...b.moments.map(momentToStored)]),
  );
  await env.DB.prepare("INSERT INTO ranking_folds (from_seq, to_seq, votes, folded_at) VALUES (0, ?, ?, ?)").bind(arena.votes, arena.votes, Date.now()).run();
}

describe("style buckets read in pages", () => {
  it("a category larger than one page is ranked from every bucket", async () => {
    const { pairs, buckets, votes } = syntheticArena();
    expect(buckets.length).toBeGreaterThan(20_000);
    await seedAggregates("overall", { pairs, buckets, votes });

    const report = await publishLeaderboards(env, Date.now());
    expect(report.published).toEqual(["overall:default", "overall:control"]);

    const board = await env.LEADERBOARD.get<PublishedLeaderboard>("leaderboard:overall:control", "json");
    const expected = rankLeaderboard({ pairs, styleBuckets: buckets }, { styleControl: true });
    expect(board!.meta.totalBattles).toBe(votes);
    expect(board!.meta.gamma!.tokens).toBeCloseTo(expected.meta.gamma!.tokens, 9);
    const rating = new Map(expected.rows.map((r) => [r.model, r.rating]));
    expect(board!.rows).toHaveLength(MODELS);
    for (const row of board!.rows) expect(row.rating).toBeCloseTo(rating.get(row.modelId)!, 6);
  });
});

describe("style buckets merged per pair in large categories", () => {
  it("ranks from one row per pair above the row limit, close to the bucketed fit, and says so", async () => {
    const { pairs, buckets, votes } = syntheticArena();
    await env.DB.batch([
      env.DB.prepare("DELETE FROM pair_counts"),
      env.DB.prepare("DELETE FROM style_buckets"),
      env.DB.prepare("DELETE FROM ranking_folds"),
      env.DB.prepare("DELETE FROM ranking_state"),
    ]);
    await seedAggregates("merged", { pairs, buckets, votes });

    await publishLeaderboards(env, Date.now(), { styleRowsExactMax: 1_000 });

    const board = (await env.LEADERBOARD.get<PublishedLeaderboard>("leaderboard:merged:control", "json"))!;
    const exact = rankLeaderboard({ pairs, styleBuckets: buckets }, { styleControl: true });
    expect(board.meta.totalBattles).toBe(votes);
    expect(board.meta.warnings.join(" ")).toMatch(/aggregated per pair/);
    const rating = new Map(exact.rows.map((r) => [r.model, r.rating]));
    const worst = Math.max(...board.rows.map((row) => Math.abs(row.rating - rating.get(row.modelId)!)));
    expect(worst).toBeLessThan(1);
    expect(board.meta.gamma!.tokens).toBeCloseTo(exact.meta.gamma!.tokens, 1);
  });
});
