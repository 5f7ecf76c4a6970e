/**
 * The one way a category's public boards are computed from its aggregates,
 * shared by the cron (worker/leaderboard/publish.ts) and by `edge-arena
 * verify` (bin/verify.ts), which rebuilds the aggregates from the open vote
 * log with {@link aggregateLog}. Two things make the two agree to the last
 * bit: style moments are exact sums (src/ranking/style.ts), so the cron's
 * chunked SQL sums equal a vote-by-vote fold; the fit puts its rows in one
 * canonical order (src/ranking/design.ts), so the floating-point work is
 * done in the same order whichever order the database returned rows in; and
 * the fit's exp and log1p are portable (src/ranking/portable-math.ts).
 */
import { createEloState, foldEloVote, mergeStyleBucketsPerPair, rankLeaderboard, styleBucketDelta } from "../ranking/index";
import type { Leaderboard, ModelInfo, PairCounts, RankingOptions, StyleBucket } from "../ranking/types";
import type { LeaderboardStyle, PublishedLeaderboard } from "../wire";
import type { PublicVoteRecord } from "../votelog/record";

/**
 * The ranking options of every published board; a change here is a change
 * of method, and the dataset card names them. Style-controlled boards add
 * `styleControl: true`.
 */
export const PUBLISHED_RANKING: Readonly<Omit<RankingOptions, "matrices" | "computedAt" | "styleControl">> = Object.freeze({
  ci: "sandwich",
  minVotes: 300,
  minCategoryVotes: 1000,
  styleL2: 1,
  tolerance: 1e-9,
  reweight: false,
});

/**
 * Most style rows a category is ranked from bucket by bucket; above it each
 * pair's buckets are merged into one row (see worker/leaderboard/publish.ts).
 */
export const STYLE_ROWS_EXACT_MAX = 100_000;

/** One category's aggregates, as either side builds them. */
export interface CategoryAggregates {
  category: string;
  pairs: readonly PairCounts[];
  styleRows: readonly StyleBucket[];
  /** Whether `styleRows` are one merged row per pair. */
  merged: boolean;
  /** Online Elo of every counted vote in the category, for display. */
  elo?: Record<string, number>;
}

export const MERGED_WARNING =
  "style features were aggregated per pair rather than per length bucket to bound the recompute's memory; ratings are within about 0.4 points of the bucketed fit";

/**
 * A category's boards: without style control, and with it where style rows
 * exist. `info` says what the fit needs to know of a model (preview or not).
 */
export function rankCategoryBoards(
  aggregates: CategoryAggregates,
  options: { matrices: boolean; computedAt?: string; info?: (id: string) => ModelInfo },
): { style: LeaderboardStyle; board: Leaderboard }[] {
  const { pairs, styleRows } = aggregates;
  const ids = [...new Set(pairs.flatMap((p) => [p.modelA, p.modelB]))].sort();
  const info = options.info ?? ((id: string): ModelInfo => ({ id }));
  const input = { models: ids.map(info), pairs, elo: aggregates.elo };
  const common = { ...PUBLISHED_RANKING, computedAt: options.computedAt };
  const out: { style: LeaderboardStyle; board: Leaderboard }[] = [
    { style: "default", board: rankLeaderboard(input, { ...common, matrices: options.matrices }) },
  ];
  if (styleRows.length > 0) {
    const board = rankLeaderboard({ ...input, styleBuckets: styleRows }, { ...common, styleControl: true });
    if (aggregates.merged) board.meta.warnings.push(MERGED_WARNING);
    out.push({ style: "control", board });
  }
  return out;
}

/** What a publication excluded, beyond the votes that do not count: the dataset card's parameters. */
export interface PublicationExclusions {
  /** Last vote seq in the publication. */
  watermark: number;
  /** Counted votes left out because their voter is flagged as anomalous, ascending. */
  flaggedSeqs: readonly number[];
  /** Models kept off the public boards (previews, withdrawn models, hidden demo models), sorted. */
  excludedModels: readonly string[];
  styleRowsExactMax: number;
}

interface Accumulator {
  /** Keyed by {@link rowNumber} with bucket 0: one entry per canonical pair. */
  pairs: Map<number, PairCounts>;
  buckets: Map<number, StyleBucket>;
  /** Row numbers of every counted vote, flagged ones too: what the cron's row count sees. */
  storedKeys: Set<number>;
  elo: ReturnType<typeof createEloState>;
}

/** Numbers, not strings, as map keys: the hot loop of a million-record verify hashes no strings. */
const PAIR_SLOTS = 2 ** 20;
const BUCKET_SLOTS = 32;
function rowNumber(first: number, second: number, bucket: number): number {
  return (first * PAIR_SLOTS + second) * BUCKET_SLOTS + (bucket + BUCKET_SLOTS / 2);
}

/**
 * Rebuilds every category's public aggregates from vote-log records in seq
 * order, as the cron folds and publishes them: counted votes up to the
 * watermark; Elo over all of them (it cannot be un-folded); pair counts and
 * style rows without the flagged votes and the excluded models.
 */
export function createLogAggregator(exclusions: PublicationExclusions): {
  add(record: PublicVoteRecord): void;
  categories(): CategoryAggregates[];
} {
  const flagged = new Set(exclusions.flaggedSeqs);
  const excluded = new Set(exclusions.excludedModels);
  const byCategory = new Map<string, Accumulator>();
  const modelNumbers = new Map<string, number>();
  const numberOf = (id: string): number => {
    let n = modelNumbers.get(id);
    if (n === undefined) modelNumbers.set(id, (n = modelNumbers.size));
    if (n >= PAIR_SLOTS) throw new RangeError(`more than ${PAIR_SLOTS} models`);
    return n;
  };
  return {
    add(record) {
      if (!record.counted || record.seq > exclusions.watermark) return;
      const keep = !flagged.has(record.seq);
      // The vote's row (canonical pair, outcome and style moments) is the same in every category: made once.
      const delta = styleBucketDelta(record);
      const pair = rowNumber(numberOf(delta.modelA), numberOf(delta.modelB), 0);
      const row = pair + Number(delta.bucket);
      for (const category of record.categories) {
        let acc = byCategory.get(category);
        if (!acc) byCategory.set(category, (acc = { pairs: new Map(), buckets: new Map(), storedKeys: new Set(), elo: createEloState() }));
        foldEloVote(acc.elo, record.modelA, record.modelB, record.winner);
        acc.storedKeys.add(row);
        if (!keep) continue;
        const counts = acc.pairs.get(pair);
        if (counts) {
          counts.winsA += delta.winsA;
          counts.winsB += delta.winsB;
          counts.ties += delta.ties;
          counts.bothBad += delta.bothBad;
        } else {
          acc.pairs.set(pair, { modelA: delta.modelA, modelB: delta.modelB, winsA: delta.winsA, winsB: delta.winsB, ties: delta.ties, bothBad: delta.bothBad });
        }
        const bucket = acc.buckets.get(row);
        if (!bucket) {
          acc.buckets.set(row, { ...delta, moments: [...delta.moments] });
          continue;
        }
        bucket.winsA += delta.winsA;
        bucket.winsB += delta.winsB;
        bucket.ties += delta.ties;
        bucket.bothBad += delta.bothBad;
        for (let k = 0; k < bucket.moments.length; k++) bucket.moments[k]! += delta.moments[k]!;
      }
    },
    categories() {
      const visible = (row: { modelA: string; modelB: string }) => !excluded.has(row.modelA) && !excluded.has(row.modelB);
      return [...byCategory.keys()].sort().map((category) => {
        const acc = byCategory.get(category)!;
        const merged = acc.storedKeys.size > exclusions.styleRowsExactMax;
        const rows = merged ? [...mergeStyleBucketsPerPair(acc.buckets.values()).values()] : [...acc.buckets.values()];
        return {
          category,
          pairs: [...acc.pairs.values()].filter(visible),
          styleRows: rows.filter(visible),
          merged,
          elo: acc.elo.ratings,
        };
      });
    },
  };
}

/** The first place a recomputed board differs from the published one. */
export interface BoardDifference {
  board: string;
  /** Model id, or null for a difference in the board itself (missing, extra, row count). */
  model: string | null;
  field: string;
  published: unknown;
  recomputed: unknown;
}

/** Fields compared on every row, exactly (`===`, so to the last bit of the printed number). */
export const COMPARED_FIELDS = ["rank", "rating", "lower", "upper", "votes", "wins", "losses", "ties", "component", "elo"] as const;

type ComparableRow = Pick<PublishedLeaderboard["rows"][number], "modelId" | (typeof COMPARED_FIELDS)[number]>;

function comparable(board: Leaderboard): ComparableRow[] {
  return board.rows.map((r) => ({
    modelId: r.model,
    rank: r.rank,
    rating: r.rating,
    lower: r.lower,
    upper: r.upper,
    votes: r.battles,
    wins: r.wins,
    losses: r.losses,
    ties: r.ties,
    component: r.component,
    elo: r.elo,
  }));
}

/**
 * Compares every published board with the board recomputed for the same
 * category and style; null when all are identical, else the first
 * difference in board order, row order, field order.
 */
export function compareBoards(
  published: readonly Pick<PublishedLeaderboard, "category" | "style" | "rows">[],
  recomputed: ReadonlyMap<string, Leaderboard>,
): BoardDifference | null {
  const seen = new Set<string>();
  for (const board of published) {
    const name = `${board.category}:${board.style}`;
    seen.add(name);
    const mine = recomputed.get(name);
    if (!mine) return { board: name, model: null, field: "board", published: "present", recomputed: "no votes for it in the log" };
    const rows = comparable(mine);
    for (let i = 0; i < Math.max(rows.length, board.rows.length); i++) {
      const p = board.rows[i];
      const r = rows[i];
      if (!p || !r || p.modelId !== r.modelId) {
        return { board: name, model: p?.modelId ?? r?.modelId ?? null, field: `row ${i + 1}`, published: p?.modelId ?? "no row", recomputed: r?.modelId ?? "no row" };
      }
      for (const field of COMPARED_FIELDS) {
        if (!Object.is(p[field], r[field])) return { board: name, model: p.modelId, field, published: p[field], recomputed: r[field] };
      }
    }
  }
  for (const name of [...recomputed.keys()].sort()) {
    if (!seen.has(name)) return { board: name, model: null, field: "board", published: "missing", recomputed: "present" };
  }
  return null;
}

/** Recomputes every public board from aggregates, keyed `category:style`. */
export function recomputeBoards(categories: readonly CategoryAggregates[]): Map<string, Leaderboard> {
  const out = new Map<string, Leaderboard>();
  for (const aggregates of categories) {
    if (aggregates.pairs.length === 0) continue;
    for (const { style, board } of rankCategoryBoards(aggregates, { matrices: false })) out.set(`${aggregates.category}:${style}`, board);
  }
  return out;
}
