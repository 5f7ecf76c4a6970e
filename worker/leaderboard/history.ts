/**
 * Rating history for the model pages, from the overall snapshots in D1.
 */
import { snapshotRows, type SnapshotRow } from "../../src/leaderboard/publication";
import type { PublishedLeaderboard, RatingPoint } from "../../src/wire";

/** Rating history points kept per model page. */
export const HISTORY_POINTS = 200;

/**
 * Each model's overall rating over the last {@link HISTORY_POINTS}
 * publications, oldest first, ending with `current` (not stored yet when the
 * pages are built in the same run).
 */
export async function loadHistory(d1: D1Database, current: PublishedLeaderboard | undefined): Promise<Map<string, RatingPoint[]>> {
  const { results } = await d1
    .prepare("SELECT watermark, computed_at, rows FROM leaderboard_snapshots WHERE category = 'overall' AND style = 'default' ORDER BY watermark DESC LIMIT ?")
    .bind(HISTORY_POINTS)
    .all<{ watermark: number; computed_at: number; rows: string }>();
  const snapshots = results.reverse().map((s) => ({ computedAt: new Date(s.computed_at).toISOString(), rows: JSON.parse(s.rows) as SnapshotRow[] }));
  if (current && !snapshots.some((s) => s.computedAt === current.computedAt)) {
    snapshots.push({ computedAt: current.computedAt, rows: snapshotRows(current) });
  }
  const history = new Map<string, RatingPoint[]>();
  for (const snapshot of snapshots.slice(-HISTORY_POINTS)) {
    for (const r of snapshot.rows) {
      const points = history.get(r.modelId) ?? [];
      points.push({ computedAt: snapshot.computedAt, rating: r.rating, lower: r.lower, upper: r.upper, rank: r.rank });
      history.set(r.modelId, points);
    }
  }
  return history;
}
