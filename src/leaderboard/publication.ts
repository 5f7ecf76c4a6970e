/**
 * What a published leaderboard contains: the ranking engine's output joined
 * with the catalogue (names, organisations, licences, status), the index of
 * categories, and the per-model pages. Pure functions of their inputs, so the
 * same aggregates always publish the same bytes (apart from `computedAt`).
 */
import { categoryGroup, categoryLabel } from "../categories/tags";
import type { Leaderboard, LeaderboardRow, PairCounts } from "../ranking/types";
import type {
  CategorySummary,
  HeadToHead,
  LeaderboardIndex,
  LeaderboardStyle,
  ModelDetail,
  PublicModel,
  PublishedLeaderboard,
  PublishedRow,
  RatingPoint,
} from "../wire";

/** Catalogue facts about a model, as the publication needs them. */
export interface CatalogModel {
  id: string;
  name: string;
  organization: string;
  license: string | null;
  status: "preview" | "active" | "retired";
  modality: PublicModel["modality"];
  demo: boolean;
  /** What a lab states about its model; shown on the boards (price column). */
  pricing?: { inputPerMillion: number; outputPerMillion: number } | null;
  contextLength?: number | null;
  /** A released model still short of its post-release votes: provisional on every board. */
  provisional?: boolean;
}

/** A compact snapshot row, stored in D1 for history. */
export interface SnapshotRow {
  modelId: string;
  rating: number;
  lower: number | null;
  upper: number | null;
  rank: number;
  votes: number;
}

function catalogEntry(catalog: ReadonlyMap<string, CatalogModel>, id: string): CatalogModel {
  return (
    catalog.get(id) ?? { id, name: id, organization: "Unknown", license: null, status: "retired", modality: "text", demo: false }
  );
}

function publishedRow(row: LeaderboardRow, model: CatalogModel): PublishedRow {
  const out: PublishedRow = {
    modelId: row.model,
    name: model.name,
    organization: model.organization,
    license: model.license,
    status: model.status,
    rank: row.rank,
    rating: row.rating,
    lower: row.lower,
    upper: row.upper,
    votes: row.battles,
    wins: row.wins,
    losses: row.losses,
    ties: row.ties,
    component: row.component,
    provisional: row.provisional || model.provisional === true,
  };
  if (model.pricing) out.pricing = model.pricing;
  if (model.contextLength) out.contextLength = model.contextLength;
  if (row.boundary) out.boundary = row.boundary;
  if (row.elo !== undefined) out.elo = row.elo;
  return out;
}

/** Joins a ranked board with the catalogue. */
export function publishBoard(
  category: string,
  style: LeaderboardStyle,
  board: Leaderboard,
  catalog: ReadonlyMap<string, CatalogModel>,
  computedAt: string,
): PublishedLeaderboard {
  const published: PublishedLeaderboard = {
    category,
    style,
    computedAt,
    provisional: board.meta.provisional,
    rows: board.rows.map((row) => publishedRow(row, catalogEntry(catalog, row.model))),
    meta: board.meta,
  };
  if (board.matrices) published.matrices = board.matrices;
  return published;
}

/** The rows kept in a history snapshot. */
export function snapshotRows(board: PublishedLeaderboard): SnapshotRow[] {
  return board.rows.map((r) => ({ modelId: r.modelId, rating: r.rating, lower: r.lower, upper: r.upper, rank: r.rank, votes: r.votes }));
}

/**
 * The category index. "overall" comes first, then the other categories by
 * number of votes.
 */
export function buildIndex(
  boards: readonly PublishedLeaderboard[],
  computedAt: string,
  totalVotes: number,
  weighting: LeaderboardIndex["weighting"],
): LeaderboardIndex {
  const byCategory = new Map<string, CategorySummary>();
  for (const board of boards) {
    const summary = byCategory.get(board.category) ?? {
      id: board.category,
      label: categoryLabel(board.category),
      group: categoryGroup(board.category),
      votes: board.meta.totalBattles,
      models: board.rows.length,
      provisional: board.provisional,
      styles: [],
    };
    summary.styles.push(board.style);
    byCategory.set(board.category, summary);
  }
  const categories = [...byCategory.values()].sort(
    (x, y) => Number(y.id === "overall") - Number(x.id === "overall") || y.votes - x.votes || (x.id < y.id ? -1 : 1),
  );
  for (const c of categories) c.styles.sort();
  return { computedAt, totalVotes, weighting, categories };
}

function headToHeads(modelId: string, overall: PublishedLeaderboard, pairs: readonly PairCounts[], catalog: ReadonlyMap<string, CatalogModel>): HeadToHead[] {
  const matrices = overall.matrices;
  const index = matrices ? matrices.models.indexOf(modelId) : -1;
  const out: HeadToHead[] = [];
  for (const p of pairs) {
    if (p.modelA !== modelId && p.modelB !== modelId) continue;
    const mine = p.modelA === modelId;
    const opponentId = mine ? p.modelB : p.modelA;
    const wins = mine ? p.winsA : p.winsB;
    const losses = mine ? p.winsB : p.winsA;
    const ties = p.ties + p.bothBad;
    const votes = wins + losses + ties;
    const j = matrices ? matrices.models.indexOf(opponentId) : -1;
    out.push({
      opponentId,
      opponentName: catalogEntry(catalog, opponentId).name,
      votes,
      wins,
      losses,
      ties,
      winFraction: votes > 0 ? (wins + ties / 2) / votes : null,
      predicted: index >= 0 && j >= 0 ? (matrices!.predicted[index]![j] ?? null) : null,
    });
  }
  return out.sort((x, y) => y.votes - x.votes || (x.opponentId < y.opponentId ? -1 : 1));
}

/**
 * The page of every model on the overall board: its standing in each
 * category, its overall rating history (oldest first) and head-to-heads.
 */
export function buildModelDetails(
  boards: readonly PublishedLeaderboard[],
  overallPairs: readonly PairCounts[],
  history: ReadonlyMap<string, RatingPoint[]>,
  catalog: ReadonlyMap<string, CatalogModel>,
): ModelDetail[] {
  const overall = boards.find((b) => b.category === "overall" && b.style === "default");
  if (!overall) return [];
  const defaults = boards.filter((b) => b.style === "default");
  return overall.rows.map((row) => {
    const model = catalogEntry(catalog, row.modelId);
    const standings = defaults.flatMap((board) => {
      const r = board.rows.find((x) => x.modelId === row.modelId);
      return r ? [{ category: board.category, rank: r.rank, rating: r.rating, lower: r.lower, upper: r.upper, votes: r.votes, provisional: r.provisional }] : [];
    });
    return {
      model: { id: model.id, name: model.name, organization: model.organization, modality: model.modality, status: model.status, demo: model.demo, license: model.license },
      standings,
      history: history.get(row.modelId) ?? [],
      headToHead: headToHeads(row.modelId, overall, overallPairs, catalog),
    };
  });
}
