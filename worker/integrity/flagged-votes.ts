/**
 * The counted votes of the voters (sessions and IPs, worker/integrity/voters.ts)
 * currently flagged as anomalous,
 * folded per category the way the ranking fold folds them, so that the
 * publisher and the anomaly test can subtract them from the aggregates.
 *
 * Votes are immutable and the fold never un-folds one, so the aggregates at
 * a watermark minus these votes at the same watermark is exactly the
 * aggregate of the votes that still count: no write-back, and no race with
 * an overlapping fold.
 */
import type { StyleFeatures } from "../../src/battle/style";
import { fnv1a } from "../../src/hash";
import { foldStyleVote, foldVote, type PairCounts, type StyleBucket, type Vote } from "../../src/ranking";
import { selectFlaggedVotes, votersOf } from "./voters";

/** One category's share of the flagged votes, keyed like the in-memory folds. */
export interface FlaggedCategory {
  pairs: Map<string, PairCounts>;
  /** Empty unless style buckets were asked for. */
  buckets: Map<string, StyleBucket>;
}

export interface FlaggedContributions {
  /** Flagged voters (session ids and `ip:` ids) that have counted votes at or under the watermark, sorted. */
  voters: string[];
  /** Stable hash of `voters`: what the publisher compares to know the exclusions changed. */
  hash: string;
  /** Counted votes left out (each vote once, whatever its categories). */
  votes: number;
  /** Their seqs, ascending: what the dataset card publishes, so the boards can be recomputed from the log. */
  seqs: number[];
  categories: Map<string, FlaggedCategory>;
}

interface FlaggedVoteRow {
  seq: number;
  session_id: string | null;
  ip_key: string | null;
  model_a: string;
  model_b: string;
  winner: Vote["winner"];
  categories: string;
  style_a: string;
  style_b: string;
}

const SELECT_FLAGGED_VOTES = selectFlaggedVotes("v.seq, v.session_id, v.ip_key, v.model_a, v.model_b, v.winner, v.categories, v.style_a, v.style_b");

/**
 * The flagged voters' counted votes with `seq <= watermark`, each once, folded per
 * category (only `category` when given), with style buckets when `style`.
 *
 * @example const flagged = await loadFlaggedContributions(d1, watermark, { style: true });
 * subtractPairCounts(pairs, flagged.categories.get("overall")?.pairs ?? new Map())
 */
export async function loadFlaggedContributions(
  d1: D1Database,
  watermark: number,
  options: { style: boolean; category?: string },
): Promise<FlaggedContributions> {
  const [{ results }, flaggedIds] = await Promise.all([
    d1.prepare(SELECT_FLAGGED_VOTES).bind(watermark).all<FlaggedVoteRow>(),
    d1.prepare("SELECT session_id FROM voter_flags WHERE flagged = 1").all<{ session_id: string }>(),
  ]);
  const flagged = new Set(flaggedIds.results.map((r) => r.session_id));
  const voters = new Set<string>();
  const categories = new Map<string, FlaggedCategory>();
  for (const row of results) {
    for (const voter of votersOf(row)) if (flagged.has(voter)) voters.add(voter);
    const vote: Vote = { modelA: row.model_a, modelB: row.model_b, winner: row.winner };
    if (options.style) {
      vote.styleA = JSON.parse(row.style_a) as StyleFeatures;
      vote.styleB = JSON.parse(row.style_b) as StyleFeatures;
    }
    for (const category of JSON.parse(row.categories) as string[]) {
      if (options.category !== undefined && category !== options.category) continue;
      let into = categories.get(category);
      if (!into) categories.set(category, (into = { pairs: new Map(), buckets: new Map() }));
      foldVote(into.pairs, vote);
      if (options.style) foldStyleVote(into.buckets, vote);
    }
  }
  const sorted = [...voters].sort();
  const seqs = results.map((r) => r.seq).sort((x, y) => x - y);
  return { voters: sorted, hash: fnv1a(sorted.join("\n")).toString(16), votes: results.length, seqs, categories };
}
