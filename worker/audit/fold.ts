/**
 * Folds every stored vote — counted or not — into `audit_counts`: per
 * category, per model it involves and in the category totals (model
 * `AUDIT_TOTAL`), under its exclusion reason (`""` when counted).
 *
 * Each chunk (fromSeq, toSeq] is one D1 transaction: a claim row in
 * `audit_folds` keyed by fromSeq and the increments. Two overlapping runs
 * claim the same key; the loser's transaction fails whole, so a vote is
 * audited exactly once (the same scheme as the ranking fold).
 */
import { AUDIT_TOTAL } from "../../src/audit/report";

export interface AuditFoldReport {
  folded: number;
  watermark: number;
  /** True when more votes wait for the next run. */
  behind: boolean;
}

interface VoteRow {
  seq: number;
  model_a: string;
  model_b: string;
  categories: string;
  counted: number;
  exclusion_reason: string | null;
}

const UPSERT_COUNTS = `
INSERT INTO audit_counts (category, model_id, reason, votes)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?1) WHERE true
ON CONFLICT (category, model_id, reason) DO UPDATE SET votes = votes + excluded.votes`;

/** Last vote seq audited (0 before the first fold). */
export async function auditWatermark(d1: D1Database): Promise<number> {
  const row = await d1.prepare("SELECT coalesce(max(to_seq), 0) AS w FROM audit_folds").first<{ w: number }>();
  return row?.w ?? 0;
}

/** Folds up to `maxVotes` stored votes past the audit's watermark, `chunk` per transaction. */
export async function foldAuditCounts(d1: D1Database, options: { chunk: number; maxVotes: number }): Promise<AuditFoldReport> {
  let watermark = await auditWatermark(d1);
  let folded = 0;
  while (folded < options.maxVotes) {
    const limit = Math.min(options.chunk, options.maxVotes - folded);
    const { results } = await d1
      .prepare("SELECT seq, model_a, model_b, categories, counted, exclusion_reason FROM votes WHERE seq > ? ORDER BY seq LIMIT ?")
      .bind(watermark, limit)
      .all<VoteRow>();
    if (results.length === 0) return { folded, watermark, behind: false };

    const counts = new Map<string, [string, string, string, number]>();
    const bump = (category: string, modelId: string, reason: string) => {
      const key = JSON.stringify([category, modelId, reason]);
      const row = counts.get(key);
      if (row) row[3] += 1;
      else counts.set(key, [category, modelId, reason, 1]);
    };
    for (const vote of results) {
      // A vote that does not count always carries its reason; an old row without one is still audited.
      const reason = vote.counted ? "" : (vote.exclusion_reason ?? "unknown");
      for (const category of JSON.parse(vote.categories) as string[]) {
        bump(category, AUDIT_TOTAL, reason);
        for (const model of new Set([vote.model_a, vote.model_b])) bump(category, model, reason);
      }
    }
    const toSeq = results.at(-1)!.seq;
    await d1.batch([
      d1.prepare("INSERT INTO audit_folds (from_seq, to_seq, votes, folded_at) VALUES (?, ?, ?, ?)").bind(watermark, toSeq, results.length, Date.now()),
      d1.prepare(UPSERT_COUNTS).bind(JSON.stringify([...counts.values()])),
    ]);
    watermark = toSeq;
    folded += results.length;
    if (results.length < limit) return { folded, watermark, behind: false };
  }
  return { folded, watermark, behind: true };
}
