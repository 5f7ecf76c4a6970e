/**
 * Recomputes every category from the D1 aggregates and publishes the results
 * to KV, with a snapshot of each board in D1.
 *
 * Categories are done one at a time — read, ranked, written, released — so
 * memory holds one category's aggregates, not all of them. Each board is
 * self-consistent (its own `computedAt` and watermark); the index is written
 * last, so readers never see a category whose board is missing.
 *
 * Failure policy: a category whose ranking throws keeps its previously
 * published board (its KV key is not overwritten) and stays in the index. If
 * a newer fold lands while this run computes, this run stops publishing: the
 * newer run will, so a slower overlapping run never overwrites fresher boards.
 *
 * Votes of sessions flagged as anomalous voters (worker/integrity/) stay in
 * the aggregates and are subtracted here, at the same watermark; a change in
 * the flagged set republishes even when no vote arrived.
 */
import { publishBoard, buildIndex, buildModelDetails, snapshotRows, type CatalogModel } from "../../src/leaderboard/publication";
import { rankCategoryBoards, STYLE_ROWS_EXACT_MAX, type CategoryAggregates, type PublicationExclusions } from "../../src/leaderboard/recompute";
import { mergeStyleBucketsPerPair, subtractPairCounts, subtractStyleBuckets, type ModelInfo, type PairCounts, type StyleBucket } from "../../src/ranking";
import { STYLE_MOMENT_NAMES, storedToMoment } from "../../src/ranking/style";
import type { LeaderboardIndex, PublicModel, PublishedLeaderboard } from "../../src/wire";
import { ENDPOINT_COLUMNS, endpointOfColumns, isModelAvailable, type EndpointColumns } from "../providers/registry";
import { configOf } from "../config";
import { currentWatermark, readEloStates } from "./fold";
import { loadHistory } from "./history";
import { KV_INDEX, KV_PUBLIC_MODELS, KV_SAMPLING_COUNTS, leaderboardKey, matricesKey, modelKey } from "./kv-keys";
import { putPublication } from "./publication-id";
import { fnv1a } from "../../src/hash";
import { isProvisionalAfterRelease, isPublic } from "../../src/labs/lifecycle";
import { LabResultsCollector, type PreviewUpdate } from "../labs/results";
import { logHead } from "../votelog/records";
import { rankChanges, type RankChange } from "../../src/webhooks/changes";
import { loadFlaggedContributions } from "../integrity/flagged-votes";
import { arenasOf } from "../catalog/arenas";
import { rememberSamplingCounts } from "../catalog/live-catalog";

export interface PublishReport {
  watermark: number;
  published: string[];
  failed: string[];
  /** Why nothing (more) was written. */
  skipped?: "unchanged" | "superseded";
  /** This publication's id (KV `publication:id`), when one was written. */
  publicationId?: string;
  /** Lab models whose public rank moved against the previous publication, per board. */
  rankChanges?: (RankChange & { labId: string })[];
  /** Previews (and withdrawn models) whose private results changed. */
  previewUpdates?: PreviewUpdate[];
  /** What was published and how, for the open dataset (worker/votelog/dataset.ts); absent when nothing was. */
  publication?: Publication;
}

/** A publication as the open dataset records it. */
export interface Publication {
  id: string;
  computedAt: string;
  chainHead: { seq: number; hash: string } | null;
  exclusions: PublicationExclusions;
  index: LeaderboardIndex;
  /** Every public board, without matrices. */
  boards: PublishedLeaderboard[];
}

const PUBLISHED_KEY = "published";

interface ModelRow extends EndpointColumns {
  price_input: number | null;
  price_output: number | null;
  context_length: number | null;
  votes_at_release: number | null;
  name: string;
  organization: string;
  license: string | null;
  status: CatalogModel["status"];
  modality: CatalogModel["modality"];
  arenas: string | null;
}


/**
 * Style rows per D1 query. At 10M votes the overall category has ≈ 330k
 * rows; read in one query, D1 materialises them all at once and the Worker
 * holds them twice (as returned, moments as JSON text, and parsed). In pages,
 * only one page is ever held twice; measured in docs/cron-benchmark.md, the
 * whole recompute at 10M votes used 15 % less CPU and under a third of the
 * local runtime's peak memory. Pages follow the primary key: index range scans.
 */
const STYLE_PAGE_ROWS = 20_000;

const SELECT_PAIRS =
  "SELECT model_a AS modelA, model_b AS modelB, wins_a AS winsA, wins_b AS winsB, ties, both_bad AS bothBad FROM pair_counts WHERE category = ?";
const SELECT_STYLE_PAGE = `SELECT model_a AS modelA, model_b AS modelB, bucket, wins_a AS winsA, wins_b AS winsB, ties, both_bad AS bothBad,
  json_array(${STYLE_MOMENT_NAMES.map((m) => `CAST(${m} AS INTEGER)`).join(", ")}) AS moments FROM style_buckets
  WHERE category = ?1 AND (model_a, model_b, bucket) > (?2, ?3, ?4) ORDER BY model_a, model_b, bucket LIMIT ?5`;
const SELECT_MERGED_STYLE_PAGE = `SELECT model_a AS modelA, model_b AS modelB, '*' AS bucket, sum(wins_a) AS winsA, sum(wins_b) AS winsB,
  sum(ties) AS ties, sum(both_bad) AS bothBad, json_array(${STYLE_MOMENT_NAMES.map((m) => `CAST(sum(${m}) AS INTEGER)`).join(", ")}) AS moments
  FROM style_buckets WHERE category = ?1 AND (model_a, model_b) > (?2, ?3) GROUP BY model_a, model_b ORDER BY model_a, model_b LIMIT ?4`;

/**
 * Above {@link STYLE_ROWS_EXACT_MAX} style rows (src/leaderboard/recompute.ts),
 * the length buckets of each pair are merged in SQL (every column is a sum,
 * so merging is exact for the moments; only the second-order expansion is
 * taken around one mean per pair instead of up to nine). Measured in
 * src/ranking's tests, one row per pair moves ratings by at most 0.37 points;
 * it keeps the largest category of a 10M-vote, 300-model arena at ≤ 44,850
 * style rows instead of ≈ 330k, which is what lets the recompute fit the
 * Worker's 128 MB (docs/cron-benchmark.md).
 */
export interface PublishOptions {
  /** Overrides {@link STYLE_ROWS_EXACT_MAX}. */
  styleRowsExactMax?: number;
}

type StylePageRow = Omit<StyleBucket, "moments"> & { moments: string };

/**
 * A category's aggregates, style rows read in keyset pages (see
 * STYLE_PAGE_ROWS) and merged per pair above `exactMax` rows. The reads are
 * several queries, not one snapshot: the caller must check that the
 * watermark did not move meanwhile.
 */
async function loadCategory(
  d1: D1Database,
  category: string,
  exactMax: number,
): Promise<{ pairs: PairCounts[]; buckets: StyleBucket[]; merged: boolean }> {
  const pairs = (await d1.prepare(SELECT_PAIRS).bind(category).all<PairCounts>()).results;
  const count = (await d1.prepare("SELECT count(*) AS n FROM style_buckets WHERE category = ?").bind(category).first<{ n: number }>())?.n ?? 0;
  const merged = count > exactMax;
  const buckets: StyleBucket[] = [];
  let after = ["", "", ""];
  for (;;) {
    const query = merged
      ? d1.prepare(SELECT_MERGED_STYLE_PAGE).bind(category, after[0], after[1], STYLE_PAGE_ROWS)
      : d1.prepare(SELECT_STYLE_PAGE).bind(category, ...after, STYLE_PAGE_ROWS);
    const { results } = await query.all<StylePageRow>();
    for (const row of results) buckets.push({ ...row, moments: (JSON.parse(row.moments) as number[]).map(storedToMoment) });
    if (results.length < STYLE_PAGE_ROWS) return { pairs, buckets, merged };
    const last = results.at(-1)!;
    after = [last.modelA, last.modelB, last.bucket];
  }
}

/** Stores a board, its matrices under their own key (only charts read them). */
async function storeBoard(env: Env, board: PublishedLeaderboard, watermark: number, now: number): Promise<void> {
  const { matrices, ...rest } = board;
  await Promise.all([
    env.LEADERBOARD.put(leaderboardKey(board.category, board.style), JSON.stringify(rest)),
    matrices ? env.LEADERBOARD.put(matricesKey(board.category, board.style), JSON.stringify(matrices)) : undefined,
    env.DB.prepare("INSERT OR IGNORE INTO leaderboard_snapshots (category, style, watermark, computed_at, rows) VALUES (?, ?, ?, ?, ?)")
      .bind(board.category, board.style, watermark, now, JSON.stringify(snapshotRows(board)))
      .run(),
  ]);
}

/** Counted votes per model in the overall aggregates (flags not subtracted): what `votes_at_release` is measured in. */
export async function overallVotesPerModel(d1: D1Database): Promise<Map<string, number>> {
  const { results } = await d1
    .prepare(
      `SELECT model, sum(n) AS n FROM (
         SELECT model_a AS model, wins_a + wins_b + ties + both_bad AS n FROM pair_counts WHERE category = 'overall'
         UNION ALL SELECT model_b, wins_a + wins_b + ties + both_bad FROM pair_counts WHERE category = 'overall'
       ) GROUP BY model`,
    )
    .all<{ model: string; n: number }>();
  return new Map(results.map((r) => [r.model, r.n]));
}

interface CategoryFit extends CategoryAggregates {
  matrices: boolean;
  info: (id: string) => ModelInfo;
  catalog: ReadonlyMap<string, CatalogModel>;
  computedAt: string;
}

/** A category's boards (the same computation `edge-arena verify` repeats), joined with the catalogue. */
function rankCategory(fit: CategoryFit): PublishedLeaderboard[] {
  return rankCategoryBoards(fit, fit).map(({ style, board }) => publishBoard(fit.category, style, board, fit.catalog, fit.computedAt));
}

/** Recomputes and publishes every category. */
export async function publishLeaderboards(env: Env, now = Date.now(), options: PublishOptions = {}): Promise<PublishReport> {
  const d1 = env.DB;
  const exactMax = options.styleRowsExactMax ?? STYLE_ROWS_EXACT_MAX;
  const watermark = await currentWatermark(d1);
  const models = (
    await d1
      .prepare(`SELECT name, organization, license, status, modality, arenas, price_input, price_output, context_length, votes_at_release, ${ENDPOINT_COLUMNS} FROM models`)
      .all<ModelRow>()
  ).results;
  const showDemo = configOf(env).demoModels;
  const catalogHash = fnv1a(JSON.stringify(models) + String(showDemo)).toString(16);
  const flagged = await loadFlaggedContributions(d1, watermark, { style: true });
  const previous = await d1.prepare("SELECT value FROM ranking_state WHERE key = ?").bind(PUBLISHED_KEY).first<{ value: string }>();
  const last = previous ? (JSON.parse(previous.value) as { watermark: number; catalogHash: string; flagsHash?: string; failed: string[] }) : undefined;
  if (last && last.watermark === watermark && last.catalogHash === catalogHash && last.flagsHash === flagged.hash && last.failed.length === 0) {
    return { watermark, published: [], failed: [], skipped: "unchanged" };
  }

  const hidden = new Set(models.filter((m) => m.is_demo && !showDemo).map((m) => m.id));
  const visible = (row: { modelA: string; modelB: string }) => !hidden.has(row.modelA) && !hidden.has(row.modelB);
  // Previews and withdrawn models: their votes stay off the public boards, and are fitted for their labs only.
  const notPublic = new Set(models.filter((m) => !isPublic(m.status)).map((m) => m.id));
  const isPublicPair = (row: { modelA: string; modelB: string }) => !notPublic.has(row.modelA) && !notPublic.has(row.modelB);
  const overallVotes = await overallVotesPerModel(d1);
  const catalog = new Map<string, CatalogModel>(
    models.map((m) => [
      m.id,
      {
        id: m.id,
        name: m.name,
        organization: m.organization,
        license: m.license,
        status: isPublic(m.status) ? (m.status as "active" | "retired") : "preview",
        modality: m.modality,
        demo: Boolean(m.is_demo),
        pricing: m.price_input !== null && m.price_output !== null ? { inputPerMillion: m.price_input, outputPerMillion: m.price_output } : null,
        contextLength: m.context_length,
        provisional: isProvisionalAfterRelease(overallVotes.get(m.id) ?? 0, m.votes_at_release, configOf(env).labs),
      },
    ]),
  );
  const info = (id: string): ModelInfo => ({ id, status: catalog.get(id)?.status === "preview" ? "preview" : "active" });
  const owners = new Map(models.filter((m) => m.owner_id !== null).map((m) => [m.id, m.owner_id!]));
  const labResults = new LabResultsCollector(owners, notPublic);
  // The vote log's head at this watermark: anyone can recompute these boards from the log up to it.
  const head = await logHead(d1, watermark);
  const moved: (RankChange & { labId: string })[] = [];
  const elo = await readEloStates(d1);
  const computedAt = new Date(now).toISOString();
  const categories = (await d1.prepare("SELECT DISTINCT category FROM pair_counts ORDER BY category").all<{ category: string }>()).results.map((r) => r.category);

  const published: PublishedLeaderboard[] = [];
  const failed: string[] = [];
  let overallPairs: PairCounts[] = [];
  const superseded = async () => (await currentWatermark(d1)) !== watermark;
  const stop = (): PublishReport => ({ watermark, published: published.map((b) => `${b.category}:${b.style}`), failed, skipped: "superseded" });
  for (const category of categories) {
    if (await superseded()) return stop();
    const { pairs: allPairs, buckets, merged } = await loadCategory(d1, category, exactMax);
    // A fold between the reads would mix two states in one board.
    if (await superseded()) return stop();
    const minus = flagged.categories.get(category);
    try {
      const withHidden = subtractPairCounts(allPairs, minus?.pairs ?? new Map()).filter(visible);
      const flaggedBuckets = minus ? (merged ? mergeStyleBucketsPerPair(minus.buckets.values()) : minus.buckets) : new Map<string, StyleBucket>();
      const styleWithHidden = subtractStyleBuckets(buckets, flaggedBuckets).filter(visible);
      const rank = (pairs: PairCounts[], styleRows: StyleBucket[], matrices: boolean) =>
        rankCategory({ category, pairs, styleRows, merged, matrices, elo: elo[category]?.ratings, info, catalog, computedAt });
      if (withHidden.some((p) => !isPublicPair(p))) for (const board of rank(withHidden, styleWithHidden, false)) labResults.add(board, true);
      const pairs = withHidden.filter(isPublicPair);
      if (pairs.length === 0) continue;
      if (category === "overall") overallPairs = pairs;
      const boards = rank(pairs, styleWithHidden.filter(isPublicPair), true);
      for (const board of boards) labResults.add(board, false);
      for (const board of boards) {
        const previous = owners.size > 0 ? await env.LEADERBOARD.get<PublishedLeaderboard>(leaderboardKey(board.category, board.style), "json") : null;
        for (const change of rankChanges(previous, board)) if (owners.has(change.modelId)) moved.push({ ...change, labId: owners.get(change.modelId)! });
        if (head) board.chainHead = head;
        await storeBoard(env, board, watermark, now);
      }
      // Keep what the index and the model pages need; matrices only for the overall board.
      for (const board of boards) published.push(board.category === "overall" && board.style === "default" ? board : { ...board, matrices: undefined });
    } catch (error) {
      console.error(JSON.stringify({ cron: "publish", category, error: String(error) }));
      failed.push(category);
    }
  }

  const overall = published.find((b) => b.category === "overall" && b.style === "default");
  const details = buildModelDetails(published, overallPairs, await loadHistory(d1, overall), catalog);
  const foldedVotes = (await d1.prepare("SELECT coalesce(sum(votes), 0) AS n FROM ranking_folds").first<{ n: number }>())?.n ?? 0;
  const totalVotes = foldedVotes - flagged.votes;
  const index = buildIndex(published, computedAt, totalVotes, "uniform-votes");
  if (head) index.chainHead = head;
  if (failed.length > 0) {
    // Failed categories stay listed with their last good board.
    const old = await env.LEADERBOARD.get<LeaderboardIndex>(KV_INDEX, "json");
    for (const category of old?.categories ?? []) {
      if (failed.includes(category.id) && !index.categories.some((c) => c.id === category.id)) index.categories.push(category);
    }
  }
  const publicModels: PublicModel[] = models
    .filter((m) => m.status === "active" && isModelAvailable(endpointOfColumns(m), env))
    .map((m) => {
      const { id, name, organization, modality, status, demo, license } = catalog.get(m.id)!;
      return { id, name, organization, modality, arenas: arenasOf(m), status, demo, license };
    })
    .sort((x, y) => x.name.localeCompare(y.name));
  let previewUpdates: PreviewUpdate[] = [];
  const samplingCounts: Record<string, number> = labResults.overallVotes();
  for (const row of overall?.rows ?? []) samplingCounts[row.modelId] = row.votes;
  // A model's new-model boost in another arena counts that arena's votes.
  for (const board of published) {
    if (!board.category.startsWith("arena:") || board.style !== "default") continue;
    for (const row of board.rows) samplingCounts[row.modelId] = Math.max(samplingCounts[row.modelId] ?? 0, row.votes);
  }

  const kv = env.LEADERBOARD;
  await Promise.all([
    ...details.map((d) => kv.put(modelKey(d.model.id), JSON.stringify(d))),
    kv.put(KV_PUBLIC_MODELS, JSON.stringify({ models: publicModels })),
    kv.put(KV_SAMPLING_COUNTS, JSON.stringify(samplingCounts)),
    labResults.store(kv, computedAt, watermark).then((updates) => (previewUpdates = updates)),
    d1
      .prepare("INSERT INTO ranking_state (key, value, watermark) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, watermark = excluded.watermark")
      .bind(PUBLISHED_KEY, JSON.stringify({ watermark, catalogHash, flagsHash: flagged.hash, failed }), watermark)
      .run(),
  ]);
  await kv.put(KV_INDEX, JSON.stringify(index));
  rememberSamplingCounts(samplingCounts);
  // Last, once everything it names is stored: readers switch to the new publication at once.
  const publicationId = `${watermark}.${now}`;
  await putPublication(kv, publicationId);
  const exclusions: PublicationExclusions = {
    watermark,
    flaggedSeqs: flagged.seqs,
    excludedModels: [...new Set([...hidden, ...notPublic])].sort(),
    styleRowsExactMax: exactMax,
  };
  const publication: Publication = {
    id: publicationId,
    computedAt,
    chainHead: head,
    exclusions,
    index,
    boards: published.map(({ matrices: _matrices, ...board }) => board),
  };
  return { watermark, published: published.map((b) => `${b.category}:${b.style}`), failed, publicationId, rankChanges: moved, previewUpdates, publication };
}
