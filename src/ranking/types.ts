/**
 * Wire types of the ranking engine: what the cron persists, what it passes
 * in, and the JSON-serialisable leaderboard that comes out.
 *
 * Conventions shared by every type here:
 * - A pair is stored once, in canonical order: `modelA < modelB` by string
 *   comparison (see {@link canonicalPair} in aggregate.ts). Which side a model
 *   was shown on is not kept: the Bradley-Terry likelihood is symmetric in
 *   the sides.
 * - Ratings are on the arena scale: 400 × log10-odds, each connected
 *   component of the comparison graph centred on 1000.
 */
import type { StyleFeatures } from "../battle/style";

/** The outcome of one counted vote, from the point of view of side A. */
export type VoteOutcome = "a" | "b" | "tie" | "bothbad";

/** Release status of a model; `preview` rows are always provisional. */
export type ModelStatus = "active" | "preview" | "retired";

/** Catalogue facts the ranking needs about a model. */
export interface ModelInfo {
  id: string;
  status?: ModelStatus;
}

/**
 * Outcome counts of one unordered pair: one D1 row per (category, modelA,
 * modelB). `ties` and `bothBad` are kept apart for display, but both count
 * as half a win each way in the fit (LMArena convention).
 */
export interface PairCounts {
  modelA: string;
  modelB: string;
  winsA: number;
  winsB: number;
  ties: number;
  bothBad: number;
}

/**
 * One style-control bucket: the votes of one pair whose length differences
 * fall in the same bucket (see style.ts). One D1 row per (category, modelA,
 * modelB, bucket). `moments` has 18 entries named by `STYLE_MOMENT_NAMES`
 * (sums of the normalised differences f, outcome-weighted sums Σy·f and the
 * products Σf_k·f_l), oriented to the canonical pair; every column is a sum
 * over votes, so folding a vote adds its own values.
 */
export interface StyleBucket extends PairCounts {
  bucket: string;
  moments: number[];
}

/** One counted vote as the cron or the CLI sees it. */
export interface Vote {
  modelA: string;
  modelB: string;
  winner: VoteOutcome;
  styleA?: StyleFeatures;
  styleB?: StyleFeatures;
}

/** Everything the ranking of one category needs; all of it is aggregated. */
export interface RankingInput {
  /** Models to rank; models seen only in `pairs` are added as `active`. */
  models?: readonly ModelInfo[];
  /** Outcome counts per unordered pair (plain Bradley-Terry input). */
  pairs: readonly PairCounts[];
  /** Style buckets; required when `styleControl` is on. */
  styleBuckets?: readonly StyleBucket[];
  /** Online Elo ratings folded in vote order (see elo.ts), shown as a column. */
  elo?: Readonly<Record<string, number>>;
}

/** How intervals are computed. */
export type IntervalMethod = "sandwich" | "bootstrap";

/** Options of {@link rankLeaderboard}; every field has a documented default. */
export interface RankingOptions {
  /** Interval method; default `"sandwich"` (robust standard errors). */
  ci?: IntervalMethod;
  /** Bootstrap rounds; default 100. */
  rounds?: number;
  /** Bootstrap seed; default 0. */
  seed?: number | string;
  /** Contextual Bradley-Terry with style features; default false. */
  styleControl?: boolean;
  /** L2 penalty on the style coefficients γ (log-likelihood units); default 1. */
  styleL2?: number;
  /** Inverse pair-frequency weights, weight = 1/max(n_pair, 50); default false. */
  reweight?: boolean;
  /** Votes a model needs to lose its provisional flag; default 300. */
  minVotes?: number;
  /** Votes a category needs to lose its provisional flag; default 1000. */
  minCategoryVotes?: number;
  /** Include the pairwise matrices; default false. */
  matrices?: boolean;
  /** Stamp `meta.computedAt` (ISO string); omitted by default for byte-stable output. */
  computedAt?: string;
  /** Convergence target on the log-likelihood gradient norm; default 1e-9. */
  tolerance?: number;
}

/**
 * Why a model's rating is not a finite maximum-likelihood estimate: it never
 * lost (`all-wins`) or never won (`all-losses`) against the rest of its
 * component, or sits between such groups (`separated`). See graph.ts.
 */
export type Boundary = "all-wins" | "all-losses" | "separated";

/** One leaderboard row. `lower`/`upper` are null on an unbounded side. */
export interface LeaderboardRow {
  model: string;
  rating: number;
  lower: number | null;
  upper: number | null;
  rank: number;
  battles: number;
  wins: number;
  losses: number;
  ties: number;
  component: number;
  provisional: boolean;
  boundary?: Boundary;
  elo?: number;
}

/** Provenance of a leaderboard: how it was computed and how well. */
export interface LeaderboardMeta {
  method: "bradley-terry";
  /** Set by {@link rankCategories}. */
  category?: string;
  ci: IntervalMethod;
  level: 0.95;
  rounds?: number;
  seed?: number | string;
  styleControl: boolean;
  /**
   * Style coefficients: natural log-odds of winning per root-mean-square unit
   * of each normalised difference (multiply by 400/ln 10 for rating points).
   */
  gamma?: { tokens: number; headers: number; listItems: number; bold: number };
  reweighted: boolean;
  components: number;
  totalBattles: number;
  models: number;
  provisional: boolean;
  iterations: number;
  gradientNorm: number;
  warnings: string[];
  computedAt?: string;
}

/** Pairwise matrices indexed like `models` (row model vs column model). */
export interface LeaderboardMatrices {
  models: string[];
  /** Battles per pair. */
  battles: number[][];
  /** Empirical win fraction of the row model, ties as half; null when unplayed. */
  winFraction: (number | null)[][];
  /** Win probability predicted by the fitted ratings; null across components. */
  predicted: (number | null)[][];
}

/** The output of {@link rankLeaderboard}: JSON-serialisable, deterministic. */
export interface Leaderboard {
  rows: LeaderboardRow[];
  meta: LeaderboardMeta;
  matrices?: LeaderboardMatrices;
}
