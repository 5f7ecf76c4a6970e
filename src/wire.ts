/**
 * The wire protocol shared by the worker and the client: constants, request
 * and response types, stream events. Free of runtime dependencies, so the
 * client can import its constants; the zod schemas that validate these shapes
 * (and generate the OpenAPI document) are in ./wire-schemas.ts.
 */

/** Longest prompt accepted for one turn, in characters. */
export const MAX_PROMPT_CHARS = 30_000;
/** Most turns one battle may have. */
export const MAX_TURNS = 50;

export const BATTLE_MODES = ["anonymous", "side-by-side", "direct"] as const;
export type BattleMode = (typeof BATTLE_MODES)[number];

export const SIDES = ["a", "b"] as const;
export type Side = (typeof SIDES)[number];

export const WINNERS = ["a", "b", "tie", "bothbad"] as const;
export type Winner = (typeof WINNERS)[number];

export const MODALITIES = ["text", "vision", "text-to-image", "webdev"] as const;
export type Modality = (typeof MODALITIES)[number];

/** The `sandbox` attribute of the frame that shows a WebDev app: scripts, and never `allow-same-origin`. */
export const WEBAPP_FRAME_SANDBOX = "allow-scripts";

/** Most images one vision prompt may carry. */
export const MAX_IMAGES_PER_PROMPT = 4;

/** An image in a battle: a prompt's attachment or a text-to-image answer, served from `/media/…`. */
export interface ImageRef {
  url: string;
  mediaType: string;
  width: number;
  height: number;
}

/** What `POST /api/v1/uploads` answers: the checked, metadata-free image, to attach by `id`. */
export interface UploadResponse extends ImageRef {
  /** The SHA-256 of the stored bytes (content-addressed). */
  id: string;
  bytes: number;
}

/** The body of `POST /api/v1/battles` (validated by `createBattleRequest` in ./wire-schemas.ts). */
export type CreateBattleRequest = (
  | { mode: "anonymous"; prompt: string }
  | { mode: "side-by-side"; prompt: string; models: [string, string] }
  | { mode: "direct"; prompt: string; model: string }
) & {
  /** Cloudflare Turnstile token; required only when the arena has Turnstile on (see `GET /api/v1/config`). */
  turnstileToken?: string;
  /** The arena (default `text`): only models that support it are offered. */
  arena?: Modality;
  /** Upload ids (`POST /api/v1/uploads`) attached to the first prompt; vision arena only. */
  images?: string[];
};

/** The body of `POST /api/v1/battles/{id}/messages`. */
export interface ContinueBattleRequest {
  prompt: string;
}

/** The body of `POST /api/v1/battles/{id}/vote`. */
export interface VoteRequest {
  winner: Winner;
  /** Sides whose answer showed who made it (a name, a logo, a watermark): the vote then does not count. */
  identityShown?: Side[];
}

/** Why a side's answer failed. Messages for these are generic on purpose. */
export const SIDE_ERROR_CODES = [
  "provider_error",
  "rate_limited",
  "timeout",
  "stream_interrupted",
  "interrupted",
  "stopped",
] as const;
export type SideErrorCode = (typeof SIDE_ERROR_CODES)[number];

/** Events of a battle turn's `text/event-stream`, in the order they can occur. */
export type BattleStreamEvent =
  | { type: "battle"; battleId: string; turn: number; mode: BattleMode }
  | { type: "delta"; side: Side; text: string }
  | ({ type: "image"; side: Side } & ImageRef)
  | { type: "done"; side: Side; finishReason: string }
  | { type: "error"; side: Side; code: SideErrorCode; message: string }
  | { type: "end"; battleId: string; turn: number };

/** A model as revealed after the vote (or as listed in the public catalogue). */
export interface RevealedModel {
  id: string;
  name: string;
  organization: string;
}

export interface VoteResponse {
  battleId: string;
  winner: Winner;
  models: { a: RevealedModel; b: RevealedModel };
  counted: boolean;
  reason?: string;
}

export type SideStatus = "pending" | "streaming" | "done" | "error";

export interface BattleTurnView {
  turn: number;
  prompt: string;
  /** Images attached to the prompt (vision arena). */
  attachments?: ImageRef[];
  sides: Partial<Record<Side, { text: string; status: SideStatus; finishReason?: string; error?: SideErrorCode; images?: ImageRef[] }>>;
}

/** What `GET /api/v1/battles/{id}` answers; `models` only once revealed. */
export interface BattleView {
  battleId: string;
  mode: BattleMode;
  arena: Modality;
  turns: BattleTurnView[];
  voted: boolean;
  winner?: Winner;
  counted?: boolean;
  reason?: string;
  models?: Partial<Record<Side, RevealedModel>>;
}

/** What `POST /api/v1/battles/{id}/share` answers: the read-only link to give away. */
export interface ShareResponse {
  battleId: string;
  /** Unguessable; knowing the battle id alone does not open the shared view. */
  token: string;
  /** The page to share, relative to the arena's origin: `/shared/{battleId}/{token}`. */
  path: string;
}

/**
 * What `GET /api/v1/shared/{id}/{token}` answers: the conversation, the
 * revealed models and the outcome, never who voted.
 */
export interface SharedBattleView {
  battleId: string;
  mode: BattleMode;
  arena: Modality;
  turns: BattleTurnView[];
  winner: Winner;
  models: Partial<Record<Side, RevealedModel>>;
}

/** The public model catalogue entry (`GET /api/v1/models`). */
export interface PublicModel extends RevealedModel {
  modality: Modality;
  /** The arenas the model takes part in (absent in catalogues published before arenas existed: its modality's only). */
  arenas?: Modality[];
  status: "preview" | "active" | "retired";
  demo: boolean;
  license?: string | null;
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; issues?: { path: string; message: string }[] };
}

// ---------------------------------------------------------------------------
// Published leaderboards (written to KV by the ranking cron, served by the
// public API, drawn by the client).

export const LEADERBOARD_STYLES = ["default", "control"] as const;
export type LeaderboardStyle = (typeof LEADERBOARD_STYLES)[number];

/** One row of a published leaderboard: the ranking row plus catalogue facts. */
export interface PublishedRow {
  modelId: string;
  name: string;
  organization: string;
  license: string | null;
  status: "preview" | "active" | "retired";
  rank: number;
  rating: number;
  /** 95% interval; null on an unbounded side (a model that never lost or never won). */
  lower: number | null;
  upper: number | null;
  /** Counted votes involving the model in this category. */
  votes: number;
  wins: number;
  losses: number;
  ties: number;
  component: number;
  provisional: boolean;
  boundary?: "all-wins" | "all-losses" | "separated";
  /** Online Elo (K=4, vote order), for comparison only. */
  elo?: number;
  /** US dollars per million input / output tokens, as the model's lab states them. */
  pricing?: { inputPerMillion: number; outputPerMillion: number };
  /** Context window in tokens, as the model's lab states it. */
  contextLength?: number;
}

/** `GET /api/v1/leaderboard?category=…&style=…` and KV `leaderboard:{category}:{style}`. */
export interface PublishedLeaderboard {
  category: string;
  style: LeaderboardStyle;
  computedAt: string;
  /** True when the category has fewer counted votes than the minimum. */
  provisional: boolean;
  rows: PublishedRow[];
  /** Provenance from the ranking engine (method, CI, γ, components, warnings…). */
  meta: import("./ranking/types").LeaderboardMeta;
  matrices?: import("./ranking/types").LeaderboardMatrices;
  /** The vote log's head at this board's watermark (see LeaderboardIndex.chainHead). */
  chainHead?: ChainHead;
}

/** How the category index groups its boards. */
export const CATEGORY_GROUPS = ["arena", "category", "field", "language"] as const;
export type CategoryGroup = (typeof CATEGORY_GROUPS)[number];

export interface CategorySummary {
  id: string;
  label: string;
  /** Arenas (text's board is `overall`), task categories, occupational fields, languages. */
  group?: CategoryGroup;
  votes: number;
  models: number;
  provisional: boolean;
  styles: LeaderboardStyle[];
}

/** `GET /api/v1/leaderboard/categories` and KV `leaderboard:index`. */
export interface LeaderboardIndex {
  computedAt: string;
  /** Counted votes folded in so far (the cron's watermark). */
  totalVotes: number;
  /** Weighting mode the published scores use. */
  weighting: "uniform-votes" | "inverse-pair-frequency";
  categories: CategorySummary[];
  /** The vote log's head as of this publication: the last vote (counted or not) at or under its watermark, and its chain hash. */
  chainHead?: ChainHead;
}

/** A point of the hash-chained vote log (src/votelog/chain.ts). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** One point of a model's rating history (from the D1 snapshots). */
export interface RatingPoint {
  computedAt: string;
  rating: number;
  lower: number | null;
  upper: number | null;
  rank: number;
}

export interface HeadToHead {
  opponentId: string;
  opponentName: string;
  votes: number;
  wins: number;
  losses: number;
  ties: number;
  /** Empirical win fraction, ties as half. */
  winFraction: number | null;
  /** Predicted by the fitted ratings. */
  predicted: number | null;
}

/** `GET /api/v1/models/{id}` and KV `model:{id}`. */
export interface ModelDetail {
  model: PublicModel;
  /** Current standing in each published category (default style). */
  standings: { category: string; rank: number; rating: number; lower: number | null; upper: number | null; votes: number; provisional: boolean }[];
  /** Overall rating over time, oldest first. */
  history: RatingPoint[];
  /** Overall head-to-heads, most played first. */
  headToHead: HeadToHead[];
}

/** Stored, counted and excluded votes of one model, lab or category (`GET /api/v1/audit`). */
export interface AuditCounts {
  stored: number;
  counted: number;
  /** Votes stored but not counted, for every reason in `AuditReport.reasons` (0 included). */
  excluded: Record<string, number>;
}

export interface AuditModelRow extends AuditCounts {
  modelId: string;
  name: string;
  organization: string;
}

export interface AuditLabRow extends AuditCounts {
  organization: string;
  /** Models of this lab with at least one stored vote in the category. */
  models: number;
}

export interface AuditCategory {
  category: string;
  /** Each vote once. */
  totals: AuditCounts;
  /** Each vote once per model it involves, so a lab's row sums its models' rows. */
  labs: AuditLabRow[];
  models: AuditModelRow[];
}

/** The anomalous-voter test's threshold and what it currently leaves out. */
export interface AuditAnomalySummary {
  alpha: number;
  minVotes: number;
  minPairHistory: number;
  sessionsTested: number;
  sessionsFlagged: number;
  /** IPs judged on all their sessions' votes together. */
  ipsTested: number;
  ipsFlagged: number;
  votesExcluded: number;
}

/** The public audit of excluded votes. */
export interface AuditReport {
  computedAt: string;
  /** Last vote seq included. */
  watermark: number;
  /** Every reason a stored vote can be excluded for, in a fixed order. */
  reasons: string[];
  anomaly: AuditAnomalySummary | null;
  categories: AuditCategory[];
}

/** One model's sampling weight, its reason and its shares (`GET /api/v1/sampling`). */
export interface SamplingRow {
  modelId: string;
  name: string;
  organization: string;
  status: "preview" | "active" | "retired";
  weight: number;
  reason: "new_model_boost" | "equal" | "outage" | "not_sampled";
  /** Expected share of battles the model is in under the current weights (shares sum to 2). */
  expectedShare: number;
  /** Anonymous battles with this model in the last 30 days, and their share of all of them. */
  battles30d: number;
  share30d: number;
}

export interface SamplingHistoryEntry {
  modelId: string;
  name: string;
  at: string;
  fromWeight: number;
  toWeight: number;
  reason: SamplingRow["reason"];
}

/** The public sampling report: the rules, every released model's weight and share, and the dated history of changes. */
/** One arena's sampling: its models' weights and shares, and its anonymous battles of the last 30 days. */
export interface SamplingArena {
  battles30d: number;
  models: SamplingRow[];
  /** Private previews in aggregate: how many, and their combined shares. */
  previews: { count: number; expectedShare: number; share30d: number };
}

/** The text arena's sampling at the top level; each other arena with models under `arenas`. */
export interface SamplingReport extends SamplingArena {
  computedAt: string;
  rules: { newModelBoost: number; boostUntilVotes: number };
  arenas?: Partial<Record<Exclude<Modality, "text">, SamplingArena>>;
  /** Newest first, at most the last 500 changes. */
  history: SamplingHistoryEntry[];
}

/** A lab's private variant, once the register made it public (`GET /api/v1/register`). */
export interface RegisterEntry {
  modelId: string;
  codename: string;
  lab: string;
  status: "preview" | "active" | "withdrawn" | "retired";
  registeredAt: string;
  /** When the lab's release or withdrawal made it public. */
  disclosedAt: string;
  releasedAt: string | null;
  withdrawnAt: string | null;
  /** The public name, once released. */
  publicName: string | null;
  /** Counted votes and overall score (without style control), as of `computedAt`; final once withdrawn. */
  votes: number;
  rating: number | null;
  lower: number | null;
  upper: number | null;
}

/** The private-variant register: every preview a lab tested, public once that lab releases or withdraws a model. */
export interface VariantRegister {
  computedAt: string;
  entries: RegisterEntry[];
}

/** One dated event of a model's life (`GET /api/v1/lifecycle`). */
export interface LifecycleEvent {
  at: string;
  kind: "registered" | "released" | "withdrawn" | "retired" | "weight_changed";
  modelId: string;
  name: string;
  organization: string;
  /** `name`, `organization` on release; `reason` on retirement; `from`, `to`, `reason` on a weight change. */
  detail: Record<string, string>;
}

export interface LifecycleLog {
  computedAt: string;
  /** Newest first. */
  events: LifecycleEvent[];
}
