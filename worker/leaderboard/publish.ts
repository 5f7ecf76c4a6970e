/**
 * Recomputes every category from the D1 aggregates and publishes the results
 * to KV, with a snapshot of each board in D1.
 *
 * Failure policy: everything is computed before anything is written. A
 * category whose ranking throws keeps its previously published board (its KV
 * key is simply not overwritten) and stays in the index. If a newer fold
 * lands while this run computes, this run does not publish: the newer run
 * will, so an overlapping slower run can never overwrite fresher boards.
 */
import { rankLeaderboard, type ModelInfo, type PairCounts, type StyleBucket } from "../../src/ranking";
import { STYLE_MOMENT_NAMES } from "../../src/ranking/style";
import {
  buildIndex,
  buildModelDetails,
  publishBoard,
  snapshotRows,
  type CatalogModel,
} from "../../src/leaderboard/publication";
import type { LeaderboardIndex, PublicModel, PublishedLeaderboard, RatingPoint } from "../../src/wire";
import { isModelAvailable, type ModelEndpoint } from "../providers/registry";
import { currentWatermark, readEloStates } from "./fold";
import { KV_INDEX, KV_PUBLIC_MODELS, KV_SAMPLING_COUNTS, leaderboardKey, modelKey } from "./kv-keys";

export interface PublishReport {
  watermark: number;
  published: string[];
  failed: string[];
  /** Why nothing was written, when nothing was. */
  skipped?: "unchanged" | "superseded";
}

/** Rating history points kept per model page. */
const HISTORY_POINTS = 200;
const PUBLISHED_KEY = "published";

interface ModelRow {
  id: string;
  name: string;
  organization: string;
  license: string | null;
  status: CatalogModel["status"];
  modality: CatalogModel["modality"];
  is_demo: number;
  provider: string;
  provider_model_id: string;
  endpoint: string | null;
  api_key_secret: string | null;
}

function endpointOf(m: ModelRow): ModelEndpoint {
  const provider = m.provider as ModelEndpoint["provider"];
  return { id: m.id, provider, providerModelId: m.provider_model_id, endpoint: m.endpoint, apiKeySecret: m.api_key_secret, isDemo: Boolean(m.is_demo) };
}

function groupBy<T extends { category: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.category);
    if (list) list.push(row);
    else out.set(row.category, [row]);
  }
  return out;
}

async function loadAggregates(d1: D1Database) {
  const [pairs, buckets, models] = await d1.batch([
    d1.prepare(
      "SELECT category, model_a AS modelA, model_b AS modelB, wins_a AS winsA, wins_b AS winsB, ties, both_bad AS bothBad FROM pair_counts",
    ),
    d1.prepare(
      `SELECT category, model_a AS modelA, model_b AS modelB, bucket, wins_a AS winsA, wins_b AS winsB, ties, both_bad AS bothBad,
              json_array(${STYLE_MOMENT_NAMES.join(", ")}) AS moments FROM style_buckets`,
    ),
    d1.prepare("SELECT id, name, organization, license, status, modality, is_demo, provider, provider_model_id, endpoint, api_key_secret FROM models"),
  ]);
  return {
    pairs: groupBy(pairs!.results as (PairCounts & { category: string })[]),
    buckets: groupBy(
      (buckets!.results as (Omit<StyleBucket, "moments"> & { category: string; moments: string })[]).map((row) => ({
        ...row,
        moments: JSON.parse(row.moments) as number[],
      })),
    ),
    models: models!.results as ModelRow[],
  };
}

async function loadHistory(d1: D1Database, current: PublishedLeaderboard | undefined): Promise<Map<string, RatingPoint[]>> {
  const { results } = await d1
    .prepare("SELECT computed_at, rows FROM leaderboard_snapshots WHERE category = 'overall' AND style = 'default' ORDER BY watermark DESC LIMIT ?")
    .bind(HISTORY_POINTS - 1)
    .all<{ computed_at: number; rows: string }>();
  const snapshots = results.reverse().map((s) => ({ computedAt: new Date(s.computed_at).toISOString(), rows: JSON.parse(s.rows) as ReturnType<typeof snapshotRows> }));
  if (current) snapshots.push({ computedAt: current.computedAt, rows: snapshotRows(current) });
  const history = new Map<string, RatingPoint[]>();
  for (const snapshot of snapshots) {
    for (const r of snapshot.rows) {
      const points = history.get(r.modelId) ?? [];
      points.push({ computedAt: snapshot.computedAt, rating: r.rating, lower: r.lower, upper: r.upper, rank: r.rank });
      history.set(r.modelId, points);
    }
  }
  return history;
}

function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/** Recomputes and publishes every category. */
export async function publishLeaderboards(env: Env, now = Date.now()): Promise<PublishReport> {
  const d1 = env.DB;
  const watermark = await currentWatermark(d1);
  const { pairs, buckets, models } = await loadAggregates(d1);
  const showDemo = env.DEMO_MODELS === "on";
  const hidden = new Set(models.filter((m) => m.is_demo && !showDemo).map((m) => m.id));
  const catalogHash = hashText(JSON.stringify(models) + String(showDemo));
  const previous = await d1.prepare("SELECT value FROM ranking_state WHERE key = ?").bind(PUBLISHED_KEY).first<{ value: string }>();
  const last = previous ? (JSON.parse(previous.value) as { watermark: number; catalogHash: string; failed: string[] }) : undefined;
  if (last && last.watermark === watermark && last.catalogHash === catalogHash && last.failed.length === 0) {
    return { watermark, published: [], failed: [], skipped: "unchanged" };
  }

  const catalog = new Map<string, CatalogModel>(
    models.map((m) => [m.id, { id: m.id, name: m.name, organization: m.organization, license: m.license, status: m.status, modality: m.modality, demo: Boolean(m.is_demo) }]),
  );
  const status = (id: string): ModelInfo => ({ id, status: catalog.get(id)?.status === "preview" ? "preview" : "active" });
  const elo = await readEloStates(d1);
  const computedAt = new Date(now).toISOString();
  const boards: PublishedLeaderboard[] = [];
  const failed: string[] = [];
  for (const category of [...pairs.keys()].sort()) {
    const visible = (row: { modelA: string; modelB: string }) => !hidden.has(row.modelA) && !hidden.has(row.modelB);
    const categoryPairs = pairs.get(category)!.filter(visible);
    if (categoryPairs.length === 0) continue;
    const ids = [...new Set(categoryPairs.flatMap((p) => [p.modelA, p.modelB]))].sort();
    const input = { models: ids.map(status), pairs: categoryPairs, elo: elo[category]?.ratings };
    try {
      boards.push(publishBoard(category, "default", rankLeaderboard(input, { matrices: true, computedAt }), catalog, computedAt));
      const styleRows = (buckets.get(category) ?? []).filter(visible);
      if (styleRows.length > 0) {
        const board = rankLeaderboard({ ...input, styleBuckets: styleRows }, { styleControl: true, matrices: true, computedAt });
        boards.push(publishBoard(category, "control", board, catalog, computedAt));
      }
    } catch (error) {
      console.error(JSON.stringify({ cron: "publish", category, error: String(error) }));
      failed.push(category);
    }
  }

  const overall = boards.find((b) => b.category === "overall" && b.style === "default");
  const history = await loadHistory(d1, overall);
  const details = buildModelDetails(boards, (pairs.get("overall") ?? []).filter((p) => !hidden.has(p.modelA) && !hidden.has(p.modelB)), history, catalog);
  const totalVotes = (await d1.prepare("SELECT coalesce(sum(votes), 0) AS n FROM ranking_folds").first<{ n: number }>())?.n ?? 0;
  const index = buildIndex(boards, computedAt, totalVotes, "uniform-votes");
  if (failed.length > 0) {
    // Failed categories stay listed with their last good board.
    const old = await env.LEADERBOARD.get<LeaderboardIndex>(KV_INDEX, "json");
    for (const category of old?.categories ?? []) {
      if (failed.includes(category.id) && !index.categories.some((c) => c.id === category.id)) index.categories.push(category);
    }
  }
  const publicModels: PublicModel[] = models
    .filter((m) => m.status === "active" && isModelAvailable(endpointOf(m), env))
    .map((m) => {
      const { id, name, organization, modality, status, demo, license } = catalog.get(m.id)!;
      return { id, name, organization, modality, status, demo, license };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
  const samplingCounts: Record<string, number> = {};
  for (const p of pairs.get("overall") ?? []) {
    const n = p.winsA + p.winsB + p.ties + p.bothBad;
    samplingCounts[p.modelA] = (samplingCounts[p.modelA] ?? 0) + n;
    samplingCounts[p.modelB] = (samplingCounts[p.modelB] ?? 0) + n;
  }

  if ((await currentWatermark(d1)) !== watermark) return { watermark, published: [], failed, skipped: "superseded" };

  await d1.batch(
    boards.map((b) =>
      d1
        .prepare("INSERT OR IGNORE INTO leaderboard_snapshots (category, style, watermark, computed_at, rows) VALUES (?, ?, ?, ?, ?)")
        .bind(b.category, b.style, watermark, now, JSON.stringify(snapshotRows(b))),
    ).concat(
      d1
        .prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, watermark = excluded.watermark")
        .bind(PUBLISHED_KEY, JSON.stringify({ watermark, catalogHash, failed }), watermark),
    ),
  );
  const kv = env.LEADERBOARD;
  await Promise.all([
    ...boards.map((b) => kv.put(leaderboardKey(b.category, b.style), JSON.stringify(b))),
    ...details.map((d) => kv.put(modelKey(d.model.id), JSON.stringify(d))),
    kv.put(KV_PUBLIC_MODELS, JSON.stringify({ models: publicModels })),
    kv.put(KV_SAMPLING_COUNTS, JSON.stringify(samplingCounts)),
  ]);
  // The index goes last: a reader never sees a category whose board is not there yet.
  await kv.put(KV_INDEX, JSON.stringify(index));
  return { watermark, published: boards.map((b) => `${b.category}:${b.style}`), failed };
}
