/**
 * The D1 schema: the durable record of models, battles, turns and votes.
 * Migrations in migrations/ are generated from this file by drizzle-kit.
 *
 * Design notes for what comes later:
 * - every battle and vote carries the anonymous session that made it;
 * - every model has an owner (a lab) and a lifecycle with dates;
 * - votes are append-only: a trigger in the migrations refuses UPDATE and
 *   DELETE, and `seq` is the order the public hash-chained log will follow.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { STYLE_MOMENT_NAMES } from "../../src/ranking/style";
import type { ImageRef, Modality } from "../../src/wire";

const timestamps = {
  createdAt: integer("created_at", { mode: "number" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
};

export const models = sqliteTable(
  "models",
  {
    id: text("id").primaryKey(),
    /** Public name; for a preview, its codename. */
    name: text("name").notNull(),
    organization: text("organization").notNull(),
    /** Who may manage the model through the lab API (null: the arena itself). */
    ownerId: text("owner_id"),
    provider: text("provider", { enum: ["openai", "google", "openai-compatible", "demo"] }).notNull(),
    providerModelId: text("provider_model_id").notNull(),
    /** Base URL for OpenAI-compatible or self-hosted endpoints. */
    endpoint: text("endpoint"),
    /** Name of the Workers secret that holds the API key; never the key itself. */
    apiKeySecret: text("api_key_secret"),
    modality: text("modality", { enum: ["text", "vision", "text-to-image", "webdev"] }).notNull().default("text"),
    /**
     * The arenas the model is sampled in (a chat model may also see images
     * and write web apps); null means its modality's arena only.
     */
    arenas: text("arenas", { mode: "json" }).$type<Modality[]>(),
    /** src/labs/lifecycle.ts: preview → active (released) or withdrawn; active → retired. */
    status: text("status", { enum: ["preview", "active", "withdrawn", "retired"] }).notNull().default("active"),
    samplingWeight: real("sampling_weight").notNull().default(1),
    isDemo: integer("is_demo", { mode: "boolean" }).notNull().default(false),
    license: text("license"),
    /** A lab model's codename, kept after release (the register lists it); null for catalogue models. */
    codename: text("codename"),
    /** A lab model's endpoint key, sealed with LAB_SECRETS_KEY (context: the model id); never returned. */
    apiKeySealed: text("api_key_sealed"),
    /** US dollars per million input / output tokens, as the lab states them. */
    priceInput: real("price_input"),
    priceOutput: real("price_output"),
    contextLength: integer("context_length"),
    releasedAt: integer("released_at", { mode: "number" }),
    /** Counted votes the model had when released: provisional until it earns LAB_RELEASE_PROVISIONAL_VOTES more. */
    votesAtRelease: integer("votes_at_release"),
    withdrawnAt: integer("withdrawn_at", { mode: "number" }),
    retiredAt: integer("retired_at", { mode: "number" }),
    retireReason: text("retire_reason"),
    /** When the private-variant register made this preview public (its lab released or withdrew a model). */
    disclosedAt: integer("disclosed_at", { mode: "number" }),
    /** Hash of the config entry this row was last synced from. */
    configHash: text("config_hash"),
    ...timestamps,
    updatedAt: integer("updated_at", { mode: "number" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("models_status_modality").on(t.status, t.modality), index("models_owner").on(t.ownerId)],
);

export const battles = sqliteTable(
  "battles",
  {
    id: text("id").primaryKey(),
    mode: text("mode", { enum: ["anonymous", "side-by-side", "direct"] }).notNull(),
    modality: text("modality", { enum: ["text", "vision", "text-to-image", "webdev"] }).notNull().default("text"),
    modelA: text("model_a").notNull().references(() => models.id),
    /** Null for a direct chat. */
    modelB: text("model_b").references(() => models.id),
    sessionId: text("session_id"),
    /** The account the battle belongs to: started signed in, or merged at sign-in. Null for anonymous battles. */
    accountId: text("account_id"),
    /** JSON array of category tags fixed at creation. */
    categories: text("categories", { mode: "json" }).$type<string[]>().notNull(),
    ...timestamps,
  },
  (t) => [
    index("battles_session").on(t.sessionId, t.createdAt),
    index("battles_created").on(t.createdAt),
    index("battles_account").on(t.accountId, t.createdAt),
  ],
);

export const battleTurns = sqliteTable(
  "battle_turns",
  {
    battleId: text("battle_id").notNull().references(() => battles.id),
    turn: integer("turn").notNull(),
    prompt: text("prompt").notNull(),
    responseA: text("response_a").notNull(),
    responseB: text("response_b"),
    statusA: text("status_a", { enum: ["done", "error"] }).notNull(),
    statusB: text("status_b", { enum: ["done", "error"] }),
    finishA: text("finish_a"),
    finishB: text("finish_b"),
    errorA: text("error_a"),
    errorB: text("error_b"),
    /** ImageRef arrays (JSON): the prompt's images (vision) and each side's generated images (text-to-image). */
    attachments: text("attachments", { mode: "json" }).$type<ImageRef[]>(),
    imagesA: text("images_a", { mode: "json" }).$type<ImageRef[]>(),
    imagesB: text("images_b", { mode: "json" }).$type<ImageRef[]>(),
    ...timestamps,
  },
  (t) => [uniqueIndex("battle_turns_pk").on(t.battleId, t.turn)],
);

export const votes = sqliteTable(
  "votes",
  {
    /** Append order; the watermark of the ranking cron and of the public log. */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    battleId: text("battle_id").notNull().references(() => battles.id),
    sessionId: text("session_id"),
    mode: text("mode", { enum: ["anonymous", "side-by-side", "direct"] }).notNull(),
    modelA: text("model_a").notNull(),
    modelB: text("model_b").notNull(),
    winner: text("winner", { enum: ["a", "b", "tie", "bothbad"] }).notNull(),
    counted: integer("counted", { mode: "boolean" }).notNull(),
    /** One of VoteExclusionReason when not counted. */
    exclusionReason: text("exclusion_reason"),
    categories: text("categories", { mode: "json" }).$type<string[]>().notNull(),
    turns: integer("turns").notNull(),
    /** StyleFeatures of each side, JSON. */
    styleA: text("style_a", { mode: "json" }).notNull(),
    styleB: text("style_b", { mode: "json" }).notNull(),
    votedAt: integer("voted_at", { mode: "number" }).notNull(),
    /** Keyed hash of the first prompt (normalised), for the duplicate-prompt cap; never the prompt. */
    promptHash: text("prompt_hash"),
    /**
     * Keyed hash of the voter's IP (HMAC with the arena's secret, never the
     * address), so the anomaly test can judge an IP's votes together however
     * often its sessions rotate. Null for votes stored before it was kept.
     */
    ipKey: text("ip_key"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("votes_battle").on(t.battleId),
    index("votes_counted_seq").on(t.counted, t.seq),
    index("votes_session_seq").on(t.sessionId, t.seq),
    index("votes_ip_seq").on(t.ipKey, t.seq),
  ],
);

export type ModelRow = typeof models.$inferSelect;
export type NewModelRow = typeof models.$inferInsert;
export type VoteRow = typeof votes.$inferSelect;

// ---------------------------------------------------------------------------
// Ranking aggregates, folded by the cron from counted votes (see
// worker/leaderboard/fold.ts). Derived data: they can be rebuilt from `votes`.

/** Outcome counts per (category, canonical pair): the Bradley-Terry input. */
export const pairCounts = sqliteTable(
  "pair_counts",
  {
    category: text("category").notNull(),
    modelA: text("model_a").notNull(),
    modelB: text("model_b").notNull(),
    winsA: integer("wins_a").notNull().default(0),
    winsB: integer("wins_b").notNull().default(0),
    ties: integer("ties").notNull().default(0),
    bothBad: integer("both_bad").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.category, t.modelA, t.modelB] })],
);

/**
 * Votes per (category, pair, length bucket) with the second-order moments of
 * their style differences: the style-control input (see src/ranking/style.ts).
 * One real column per moment, named by STYLE_MOMENT_NAMES.
 */
export const styleBuckets = sqliteTable(
  "style_buckets",
  {
    category: text("category").notNull(),
    modelA: text("model_a").notNull(),
    modelB: text("model_b").notNull(),
    bucket: text("bucket").notNull(),
    winsA: integer("wins_a").notNull().default(0),
    winsB: integer("wins_b").notNull().default(0),
    ties: integer("ties").notNull().default(0),
    bothBad: integer("both_bad").notNull().default(0),
    ...Object.fromEntries(STYLE_MOMENT_NAMES.map((name) => [name, real(name).notNull().default(0)])),
  },
  (t) => [primaryKey({ columns: [t.category, t.modelA, t.modelB, t.bucket] })],
);

/**
 * One row per fold of votes (fromSeq, toSeq]. The primary key on `fromSeq`
 * is what makes folding safe when two cron runs overlap: the second run's
 * transaction inserts the same `fromSeq`, fails, and rolls back its counts.
 */
export const rankingFolds = sqliteTable("ranking_folds", {
  fromSeq: integer("from_seq").primaryKey(),
  toSeq: integer("to_seq").notNull(),
  votes: integer("votes").notNull(),
  foldedAt: integer("folded_at", { mode: "number" }).notNull(),
});

/** Small state the cron carries between runs (online Elo per category). */
export const rankingState = sqliteTable("ranking_state", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  watermark: integer("watermark").notNull(),
});

/** Every published leaderboard, for rating history and rank-change detection. */
export const leaderboardSnapshots = sqliteTable(
  "leaderboard_snapshots",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    category: text("category").notNull(),
    style: text("style", { enum: ["default", "control"] }).notNull(),
    /** Last vote seq folded into this leaderboard. */
    watermark: integer("watermark").notNull(),
    computedAt: integer("computed_at", { mode: "number" }).notNull(),
    /** JSON array of {modelId, rating, lower, upper, rank, votes}. */
    rows: text("rows", { mode: "json" }).notNull(),
  },
  (t) => [uniqueIndex("snapshots_category_style_watermark").on(t.category, t.style, t.watermark)],
);

// ---------------------------------------------------------------------------
// Integrity of the vote path.

/**
 * Voters under the anomaly test, run by the cron (see src/integrity/): an
 * anonymous session (`sessionId` is the session id) or an IP, all its
 * sessions' votes together (`sessionId` is `ip:` and the vote's `ip_key`;
 * see worker/integrity/voters.ts). While `flagged`, a voter's counted votes are left out of
 * the aggregates and published as excluded with reason `anomalous_voter`;
 * the flag is lifted when the evidence changes. `appliedSeq` is the highest
 * vote seq whose aggregates already reflect the current flag.
 */
export const voterFlags = sqliteTable(
  "voter_flags",
  {
    sessionId: text("session_id").primaryKey(),
    flagged: integer("flagged", { mode: "boolean" }).notNull(),
    /** Combined p-value of the voter's votes at the last evaluation. */
    pValue: real("p_value").notNull(),
    /** Counted votes the last evaluation looked at. */
    votes: integer("votes").notNull(),
    appliedSeq: integer("applied_seq").notNull().default(0),
    changedAt: integer("changed_at", { mode: "number" }).notNull(),
    evaluatedAt: integer("evaluated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("voter_flags_flagged").on(t.flagged)],
);

/**
 * Writes a battle's outbox gave up on after its attempt cap: kept here (and
 * counted on the health endpoint) so an operator can see and replay them;
 * nothing owed to the record is ever dropped silently.
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    battleId: text("battle_id").notNull(),
    kind: text("kind", { enum: ["battle", "turn", "vote"] }).notNull(),
    /** The RecordWrite, JSON. */
    write: text("write", { mode: "json" }).notNull(),
    attempts: integer("attempts").notNull(),
    lastError: text("last_error").notNull(),
    /** Outbox entry id inside the battle's Durable Object: with battleId, the natural key. */
    outboxId: integer("outbox_id").notNull(),
    ...timestamps,
    resolvedAt: integer("resolved_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("dead_letters_outbox").on(t.battleId, t.outboxId)],
);

/**
 * Stored votes per (category, model, exclusion reason; '' for counted),
 * folded by the cron from every vote past its watermark: the public audit's
 * input. Derived data; rebuildable from `votes`.
 */
export const auditCounts = sqliteTable(
  "audit_counts",
  {
    category: text("category").notNull(),
    modelId: text("model_id").notNull(),
    reason: text("reason").notNull(),
    votes: integer("votes").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.category, t.modelId, t.reason] })],
);

/**
 * One row per chunk of votes folded into `audit_counts`, keyed by the seq the
 * chunk starts after: two overlapping cron runs insert the same key, the
 * loser's transaction fails whole, so no vote is counted twice in the audit.
 */
export const auditFolds = sqliteTable("audit_folds", {
  fromSeq: integer("from_seq").primaryKey(),
  toSeq: integer("to_seq").notNull(),
  votes: integer("votes").notNull(),
  foldedAt: integer("folded_at", { mode: "number" }).notNull(),
});

/**
 * Every change of a model's sampling weight, dated, with the rule that set
 * it (src/battle/sampling-policy.ts): the public history behind
 * `GET /api/v1/sampling`. Append-only.
 */
export const samplingChanges = sqliteTable(
  "sampling_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    modelId: text("model_id").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
    fromWeight: real("from_weight").notNull(),
    toWeight: real("to_weight").notNull(),
    reason: text("reason").notNull(),
  },
  (t) => [index("sampling_changes_at").on(t.at)],
);

// ---------------------------------------------------------------------------
// The public vote log (src/votelog/): every stored vote, in seq order, with
// its hash in the chain. Append-only (triggers in the migration), written by
// the cron (worker/votelog/append.ts); the records themselves are derived
// from `votes`, which never change.
export const voteLog = sqliteTable("vote_log", {
  /** The vote's seq. */
  seq: integer("seq").primaryKey(),
  /** hashₙ = SHA-256(hashₙ₋₁ ‖ canonical record), 64 hex digits. */
  hash: text("hash").notNull(),
  loggedAt: integer("logged_at", { mode: "number" }).notNull(),
});
