/**
 * Folds counted votes into the ranking aggregates in D1.
 *
 * Each chunk of votes (fromSeq, toSeq] is applied in one D1 transaction
 * (`batch`): a marker row in `ranking_folds` keyed by fromSeq, the pair-count
 * and style-bucket increments, and the online Elo state. If two cron runs
 * overlap, both try to insert the same fromSeq; the loser's transaction fails
 * as a whole, so no vote is ever counted twice, and a failed run leaves the
 * aggregates exactly as they were.
 *
 * Increments are sent as one JSON parameter per table and expanded with
 * `json_each`, so a chunk costs four statements whatever its size (D1 limits
 * bound parameters per statement and queries per invocation).
 */
import type { StyleFeatures } from "../../src/battle/style";
import { createEloState, foldEloVote, foldStyleVote, foldVote, type EloState, type PairCounts, type StyleBucket, type Vote } from "../../src/ranking";
import { momentToStored, STYLE_MOMENT_NAMES } from "../../src/ranking/style";

export interface FoldOptions {
  /** Votes per transaction. */
  chunk: number;
  /** Most votes folded in one run; the rest wait for the next run. */
  maxVotes: number;
}

export interface FoldReport {
  folded: number;
  watermark: number;
  /** True when more counted votes are waiting. */
  behind: boolean;
}

const ELO_KEY = "elo";

interface VoteRow {
  seq: number;
  model_a: string;
  model_b: string;
  winner: Vote["winner"];
  categories: string;
  style_a: string;
  style_b: string;
}

/** Last vote seq folded so far (0 before the first fold). */
export async function currentWatermark(d1: D1Database): Promise<number> {
  const row = await d1.prepare("SELECT coalesce(max(to_seq), 0) AS w FROM ranking_folds").first<{ w: number }>();
  return row?.w ?? 0;
}

/** Online Elo state per category, as of the watermark. */
export async function readEloStates(d1: D1Database): Promise<Record<string, EloState>> {
  const row = await d1.prepare("SELECT value FROM ranking_state WHERE key = ?").bind(ELO_KEY).first<{ value: string }>();
  return row ? (JSON.parse(row.value) as Record<string, EloState>) : {};
}

const UPSERT_PAIRS = `
INSERT INTO pair_counts (category, model_a, model_b, wins_a, wins_b, ties, both_bad)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6 FROM json_each(?1) WHERE true
ON CONFLICT (category, model_a, model_b) DO UPDATE SET
  wins_a = wins_a + excluded.wins_a, wins_b = wins_b + excluded.wins_b,
  ties = ties + excluded.ties, both_bad = both_bad + excluded.both_bad`;

const STYLE_COUNTS = ["wins_a", "wins_b", "ties", "both_bad", ...STYLE_MOMENT_NAMES];
const UPSERT_STYLE = `
INSERT INTO style_buckets (category, model_a, model_b, bucket, ${STYLE_COUNTS.join(", ")})
SELECT ${["category", "model_a", "model_b", "bucket", ...STYLE_COUNTS].map((_, k) => `value ->> ${k}`).join(", ")} FROM json_each(?1) WHERE true
ON CONFLICT (category, model_a, model_b, bucket) DO UPDATE SET
  ${STYLE_COUNTS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`;

function toVote(row: VoteRow): Vote {
  return {
    modelA: row.model_a,
    modelB: row.model_b,
    winner: row.winner,
    styleA: JSON.parse(row.style_a) as StyleFeatures,
    styleB: JSON.parse(row.style_b) as StyleFeatures,
  };
}

/** Folds up to `options.maxVotes` counted votes past the watermark. */
export async function foldNewVotes(d1: D1Database, options: FoldOptions): Promise<FoldReport> {
  let watermark = await currentWatermark(d1);
  const elo = await readEloStates(d1);
  let folded = 0;
  while (folded < options.maxVotes) {
    const limit = Math.min(options.chunk, options.maxVotes - folded);
    const { results } = await d1
      .prepare(
        "SELECT seq, model_a, model_b, winner, categories, style_a, style_b FROM votes WHERE counted = 1 AND seq > ? ORDER BY seq LIMIT ?",
      )
      .bind(watermark, limit)
      .all<VoteRow>();
    if (results.length === 0) return { folded, watermark, behind: false };

    const pairs = new Map<string, Map<string, PairCounts>>();
    const buckets = new Map<string, Map<string, StyleBucket>>();
    for (const row of results) {
      const vote = toVote(row);
      for (const category of JSON.parse(row.categories) as string[]) {
        if (!pairs.has(category)) pairs.set(category, new Map());
        if (!buckets.has(category)) buckets.set(category, new Map());
        foldVote(pairs.get(category)!, vote);
        foldStyleVote(buckets.get(category)!, vote);
        elo[category] ??= createEloState();
        foldEloVote(elo[category]!, vote.modelA, vote.modelB, vote.winner);
      }
    }
    const pairRows = [...pairs].flatMap(([category, map]) =>
      [...map.values()].map((p) => [category, p.modelA, p.modelB, p.winsA, p.winsB, p.ties, p.bothBad]),
    );
    const styleRows = [...buckets].flatMap(([category, map]) =>
      [...map.values()].map((s) => [category, s.modelA, s.modelB, s.bucket, s.winsA, s.winsB, s.ties, s.bothBad, ...s.moments.map(momentToStored)]),
    );
    const toSeq = results.at(-1)!.seq;
    await d1.batch([
      d1.prepare("INSERT INTO ranking_folds (from_seq, to_seq, votes, folded_at) VALUES (?, ?, ?, ?)").bind(watermark, toSeq, results.length, Date.now()),
      d1.prepare(UPSERT_PAIRS).bind(JSON.stringify(pairRows)),
      d1.prepare(UPSERT_STYLE).bind(JSON.stringify(styleRows)),
      d1
        .prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, watermark = excluded.watermark")
        .bind(ELO_KEY, JSON.stringify(elo), toSeq),
    ]);
    watermark = toSeq;
    folded += results.length;
    if (results.length < limit) return { folded, watermark, behind: false };
  }
  return { folded, watermark, behind: true };
}
