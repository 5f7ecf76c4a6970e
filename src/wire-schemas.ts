/**
 * Zod schemas of the API's requests and of the public read API's responses. They generate the
 * component schemas of the OpenAPI document (the `id` in `.meta()` is the
 * component name), and the assertions at the end of the file make the
 * TypeScript build fail if a schema and its type in ./wire.ts (or
 * ./ranking/types.ts) stop describing the same JSON.
 *
 * Objects are open (no `additionalProperties: false`): a client written
 * against today's document keeps working when a field is added.
 */
import { z } from "zod";
import type { LeaderboardMatrices, LeaderboardMeta } from "./ranking/types";
import {
  BATTLE_MODES,
  CATEGORY_GROUPS,
  LEADERBOARD_STYLES,
  MODALITIES,
  SIDE_ERROR_CODES,
  SIDES,
  type BattleStreamEvent,
  type CategorySummary,
  type ErrorBody,
  type HeadToHead,
  type LeaderboardIndex,
  type ModelDetail,
  type PublicModel,
  type PublishedLeaderboard,
  type PublishedRow,
  type RatingPoint,
  type BattleView,
  type SharedBattleView,
  type AuditReport,
  type SamplingReport,
  type ShareResponse,
  type VoteResponse,
  WINNERS,
  type ContinueBattleRequest,
  type CreateBattleRequest,
  type VoteRequest,
  type UploadResponse,
  MAX_IMAGES_PER_PROMPT,
} from "./wire";

// ---------------------------------------------------------------------------
// Requests

// The length limit is a battle rule (answered 413), checked in src/battle/rules.ts.
const prompt = z.string({ error: "prompt must be a string" }).trim().min(1, "prompt must not be empty");

const modelId = z.string().min(1).max(200);

// A Cloudflare Turnstile token, checked only when the arena has a Turnstile secret.
// Cloudflare documents tokens of at most 2048 characters.
const turnstileToken = z.string().max(2048).optional();

const arena = z.enum(MODALITIES).optional();
const uploadId = z.string().regex(/^[0-9a-f]{64}$/, "an image id is the 64-hex-digit id POST /api/v1/uploads answered");
const images = z.array(uploadId).min(1).max(MAX_IMAGES_PER_PROMPT, `at most ${MAX_IMAGES_PER_PROMPT} images per prompt`).optional();
const battleOptions = { turnstileToken, arena, images };

export const createBattleRequest = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("anonymous"), prompt, ...battleOptions }).strict(),
  z.object({ mode: z.literal("side-by-side"), prompt, models: z.tuple([modelId, modelId]), ...battleOptions }).strict(),
  z.object({ mode: z.literal("direct"), prompt, model: modelId, ...battleOptions }).strict(),
]);

export const continueBattleRequest = z.object({ prompt }).strict();

export const voteRequest = z
  .object({ winner: z.enum(WINNERS), identityShown: z.array(z.enum(SIDES)).max(2).optional() })
  .strict();

const imageRefFields = { url: z.string(), mediaType: z.string(), width: z.number().int(), height: z.number().int() };
const imageRefSchema = z.object(imageRefFields).meta({ id: "ImageRef", description: "An image stored in R2 and served from /media/." });

export const uploadResponseSchema = z
  .object({ id: z.string(), bytes: z.number().int(), ...imageRefFields })
  .meta({ id: "UploadResponse", description: "A checked image with its metadata removed; attach it to a vision prompt by id." });

const modelStatus = z.enum(["preview", "active", "retired"]);
/** A bound of a 95% interval; null on an unbounded side. */
const bound = z.number().nullable();

export const publicModelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    organization: z.string(),
    modality: z.enum(MODALITIES),
    arenas: z.array(z.enum(MODALITIES)).optional(),
    status: modelStatus,
    demo: z.boolean(),
    license: z.string().nullable().optional(),
  })
  .meta({ id: "PublicModel", description: "A model of the public catalogue." });

export const publicModelListSchema = z
  .object({ models: z.array(publicModelSchema) })
  .meta({ id: "PublicModelList", description: "Models that can be chosen by name, sorted by name." });

export const publishedRowSchema = z
  .object({
    modelId: z.string(),
    name: z.string(),
    organization: z.string(),
    license: z.string().nullable(),
    status: modelStatus,
    rank: z.number().int(),
    rating: z.number(),
    lower: bound,
    upper: bound,
    votes: z.number().int(),
    wins: z.number().int(),
    losses: z.number().int(),
    ties: z.number().int(),
    component: z.number().int(),
    provisional: z.boolean(),
    boundary: z.enum(["all-wins", "all-losses", "separated"]).optional(),
    elo: z.number().optional(),
    pricing: z.object({ inputPerMillion: z.number(), outputPerMillion: z.number() }).optional().describe("US dollars per million input / output tokens, as the lab states them."),
    contextLength: z.number().int().optional().describe("Context window in tokens, as the lab states it."),
  })
  .meta({ id: "PublishedRow", description: "One leaderboard row; `votes` counts the model's counted votes in the category." });

export const leaderboardMetaSchema = z
  .object({
    method: z.literal("bradley-terry"),
    category: z.string().optional(),
    ci: z.enum(["sandwich", "bootstrap"]),
    level: z.literal(0.95),
    rounds: z.number().int().optional(),
    seed: z.union([z.number(), z.string()]).optional(),
    styleControl: z.boolean(),
    gamma: z.object({ tokens: z.number(), headers: z.number(), listItems: z.number(), bold: z.number() }).optional(),
    reweighted: z.boolean(),
    components: z.number().int(),
    totalBattles: z.number().int(),
    models: z.number().int(),
    provisional: z.boolean(),
    iterations: z.number().int(),
    gradientNorm: z.number(),
    warnings: z.array(z.string()),
    computedAt: z.string().optional(),
  })
  .meta({ id: "LeaderboardMeta", description: "How the leaderboard was computed: method, interval, style coefficients, fit diagnostics." });

export const leaderboardMatricesSchema = z
  .object({
    models: z.array(z.string()),
    battles: z.array(z.array(z.number().int())),
    winFraction: z.array(z.array(z.number().nullable())),
    predicted: z.array(z.array(z.number().nullable())),
  })
  .meta({ id: "LeaderboardMatrices", description: "Pairwise matrices (row model against column model), indexed like `models`." });

export const chainHeadSchema = z
  .object({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) })
  .meta({ id: "ChainHead", description: "A point of the hash-chained vote log: the last vote at or under a publication's watermark and its SHA-256 chain hash." });

export const publishedLeaderboardSchema = z
  .object({
    category: z.string(),
    style: z.enum(LEADERBOARD_STYLES),
    computedAt: z.string(),
    provisional: z.boolean(),
    rows: z.array(publishedRowSchema),
    meta: leaderboardMetaSchema,
    matrices: leaderboardMatricesSchema.optional(),
    chainHead: chainHeadSchema.optional(),
  })
  .meta({ id: "PublishedLeaderboard", description: "A published leaderboard of one category and style." });

export const categorySummarySchema = z
  .object({
    id: z.string(),
    label: z.string(),
    group: z.enum(CATEGORY_GROUPS).optional(),
    votes: z.number().int(),
    models: z.number().int(),
    provisional: z.boolean().describe("Fewer votes than the minimum for a trustworthy board: shown, marked provisional."),
    styles: z.array(z.enum(LEADERBOARD_STYLES)),
  })
  .meta({ id: "CategorySummary" });

export const leaderboardIndexSchema = z
  .object({
    computedAt: z.string(),
    totalVotes: z.number().int(),
    weighting: z.enum(["uniform-votes", "inverse-pair-frequency"]),
    categories: z.array(categorySummarySchema),
    chainHead: chainHeadSchema.optional(),
  })
  .meta({ id: "LeaderboardIndex", description: "Every published category, with its vote count and styles." });

export const ratingPointSchema = z
  .object({ computedAt: z.string(), rating: z.number(), lower: bound, upper: bound, rank: z.number().int() })
  .meta({ id: "RatingPoint" });

export const headToHeadSchema = z
  .object({
    opponentId: z.string(),
    opponentName: z.string(),
    votes: z.number().int(),
    wins: z.number().int(),
    losses: z.number().int(),
    ties: z.number().int(),
    winFraction: z.number().nullable(),
    predicted: z.number().nullable(),
  })
  .meta({ id: "HeadToHead" });

export const modelDetailSchema = z
  .object({
    model: publicModelSchema,
    standings: z.array(
      z.object({
        category: z.string(),
        rank: z.number().int(),
        rating: z.number(),
        lower: bound,
        upper: bound,
        votes: z.number().int(),
        provisional: z.boolean(),
      }),
    ),
    history: z.array(ratingPointSchema),
    headToHead: z.array(headToHeadSchema),
  })
  .meta({ id: "ModelDetail", description: "A model's standings, overall rating history and head-to-heads." });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      requestId: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error", description: "Every error answer has this shape." });

const side = z.enum(SIDES);

/** Data of one battle stream event; the SSE `event:` name repeats `type`. */
export const battleStreamEventSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("battle"), battleId: z.string(), turn: z.number().int(), mode: z.enum(BATTLE_MODES) }),
    z.object({ type: z.literal("delta"), side, text: z.string() }),
    z.object({ type: z.literal("image"), side, ...imageRefFields }),
    z.object({ type: z.literal("done"), side, finishReason: z.string() }),
    z.object({ type: z.literal("error"), side, code: z.enum(SIDE_ERROR_CODES), message: z.string() }),
    z.object({ type: z.literal("end"), battleId: z.string(), turn: z.number().int() }),
  ])
  .meta({ id: "BattleStreamEvent", description: "The JSON `data:` of one event of a battle turn's `text/event-stream`." });

const revealedModelSchema = z
  .object({ id: z.string(), name: z.string(), organization: z.string() })
  .meta({ id: "RevealedModel", description: "A model as revealed after the vote." });

export const voteResponseSchema = z
  .object({
    battleId: z.string(),
    winner: z.enum(WINNERS),
    models: z.object({ a: revealedModelSchema, b: revealedModelSchema }),
    counted: z.boolean(),
    reason: z.string().optional().meta({ description: "Why the vote does not count (a VoteExclusionReason); absent when it counts." }),
  })
  .meta({ id: "VoteResponse", description: "The stored vote and the revealed models." });

const sideViewSchema = z.object({
  text: z.string(),
  status: z.enum(["pending", "streaming", "done", "error"]),
  finishReason: z.string().optional(),
  error: z.enum(SIDE_ERROR_CODES).optional(),
  images: z.array(imageRefSchema).optional(),
});
const battleTurnViewSchema = z.object({
  turn: z.number().int(),
  prompt: z.string(),
  attachments: z.array(imageRefSchema).optional(),
  sides: z.object({ a: sideViewSchema.optional(), b: sideViewSchema.optional() }),
});
const revealedSides = z.object({ a: revealedModelSchema.optional(), b: revealedModelSchema.optional() });

export const battleViewSchema = z
  .object({
    battleId: z.string(),
    mode: z.enum(BATTLE_MODES),
    arena: z.enum(MODALITIES),
    turns: z.array(battleTurnViewSchema),
    voted: z.boolean(),
    winner: z.enum(WINNERS).optional(),
    counted: z.boolean().optional(),
    reason: z.string().optional(),
    models: revealedSides.optional().meta({ description: "Present once the models may be revealed (after the vote in anonymous battles)." }),
  })
  .meta({ id: "BattleView", description: "A battle as its own session may see it." });

export const shareResponseSchema = z
  .object({ battleId: z.string(), token: z.string(), path: z.string() })
  .meta({ id: "ShareResponse", description: "The read-only link to a voted battle." });

export const sharedBattleViewSchema = z
  .object({ battleId: z.string(), mode: z.enum(BATTLE_MODES), arena: z.enum(MODALITIES), turns: z.array(battleTurnViewSchema), winner: z.enum(WINNERS), models: revealedSides })
  .meta({ id: "SharedBattleView", description: "A shared battle: the conversation, the revealed models and the outcome, never the voter." });

// ---------------------------------------------------------------------------
// The audit of excluded votes

const auditCounts = {
  stored: z.number().int().min(0).describe("Votes stored."),
  counted: z.number().int().min(0).describe("Votes that count toward the leaderboard."),
  excluded: z.record(z.string(), z.number().int().min(0)).describe("Votes stored but not counted, per reason (every reason listed, 0 included)."),
};

export const auditReportSchema = z
  .object({
    computedAt: z.string(),
    watermark: z.number().int().min(0).describe("Last vote seq included."),
    reasons: z.array(z.string()).describe("Every exclusion reason, in a fixed order."),
    anomaly: z
      .object({
        alpha: z.number(),
        minVotes: z.number().int(),
        minPairHistory: z.number().int(),
        sessionsTested: z.number().int(),
        sessionsFlagged: z.number().int(),
        ipsTested: z.number().int().describe("IPs judged on all their sessions' votes together (the address is only ever kept as a keyed hash)."),
        ipsFlagged: z.number().int(),
        votesExcluded: z.number().int(),
      })
      .nullable()
      .describe("The anomalous-voter test's threshold and current counts; null before its first run."),
    categories: z.array(
      z.object({
        category: z.string(),
        totals: z.object(auditCounts).describe("Each vote once."),
        labs: z.array(z.object({ organization: z.string(), models: z.number().int().min(0), ...auditCounts })).describe("Each vote once per model of the lab it involves."),
        models: z.array(z.object({ modelId: z.string(), name: z.string(), organization: z.string(), ...auditCounts })),
      }),
    ),
  })
  .meta({ id: "AuditReport", description: "Stored, counted and excluded votes per category, lab, model and reason." });

// ---------------------------------------------------------------------------
// Sampling weights

const weightReason = z.enum(["new_model_boost", "equal", "outage", "not_sampled"]);

const samplingArenaFields = {
  battles30d: z.number().int().min(0),
  models: z.array(
    z.object({
      modelId: z.string(),
      name: z.string(),
      organization: z.string(),
      status: z.enum(["preview", "active", "retired"]),
      weight: z.number().min(0),
      reason: weightReason,
      expectedShare: z.number().min(0).describe("Expected share of the arena's battles under the current weights; shares sum to 2."),
      battles30d: z.number().int().min(0),
      share30d: z.number().min(0),
    }),
  ),
  previews: z.object({ count: z.number().int().min(0), expectedShare: z.number().min(0), share30d: z.number().min(0) }),
};
const samplingArenaSchema = z.object(samplingArenaFields).meta({ id: "SamplingArena", description: "One arena's weights, shares and battles of the last 30 days." });

export const samplingReportSchema = z
  .object({
    computedAt: z.string(),
    rules: z.object({ newModelBoost: z.number(), boostUntilVotes: z.number().int() }).describe("Boost factor for models under boostUntilVotes counted votes; equal weights otherwise; 0 during an outage."),
    ...samplingArenaFields,
    arenas: z
      .object({ vision: samplingArenaSchema.optional(), "text-to-image": samplingArenaSchema.optional(), webdev: samplingArenaSchema.optional() })
      .optional()
      .describe("The other arenas with models, each sampled on its own by the same rule; the top level is the text arena."),
    history: z.array(z.object({ modelId: z.string(), name: z.string(), at: z.string(), fromWeight: z.number(), toWeight: z.number(), reason: weightReason })),
  })
  .meta({ id: "SamplingReport", description: "Sampling weights, their rules and shares, and every weight change with its reason." });

// ---------------------------------------------------------------------------
// Drift guard: each pair must be the same type, checked at compile time.

/** True only when A and B are identical types (not merely assignable). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expand<T> = T extends object ? { [K in keyof T]: Expand<T[K]> } : T;
type Check<Schema extends z.ZodType, Wire> = Same<Expand<z.infer<Schema>>, Expand<Wire>>;

type Assert<T extends true> = T;

/** Never used at run time: that this type compiles is the check. */
export type WireSchemasInSync = [
  Assert<Check<typeof publicModelSchema, PublicModel>>,
  Assert<Check<typeof publicModelListSchema, { models: PublicModel[] }>>,
  Assert<Check<typeof publishedRowSchema, PublishedRow>>,
  Assert<Check<typeof leaderboardMetaSchema, LeaderboardMeta>>,
  Assert<Check<typeof leaderboardMatricesSchema, LeaderboardMatrices>>,
  Assert<Check<typeof publishedLeaderboardSchema, PublishedLeaderboard>>,
  Assert<Check<typeof categorySummarySchema, CategorySummary>>,
  Assert<Check<typeof leaderboardIndexSchema, LeaderboardIndex>>,
  Assert<Check<typeof ratingPointSchema, RatingPoint>>,
  Assert<Check<typeof headToHeadSchema, HeadToHead>>,
  Assert<Check<typeof modelDetailSchema, ModelDetail>>,
  Assert<Check<typeof errorBodySchema, ErrorBody>>,
  Assert<Check<typeof battleStreamEventSchema, BattleStreamEvent>>,
  Assert<Check<typeof createBattleRequest, CreateBattleRequest>>,
  Assert<Check<typeof continueBattleRequest, ContinueBattleRequest>>,
  Assert<Check<typeof voteRequest, VoteRequest>>,
  Assert<Check<typeof uploadResponseSchema, UploadResponse>>,
  Assert<Check<typeof voteResponseSchema, VoteResponse>>,
  Assert<Check<typeof battleViewSchema, BattleView>>,
  Assert<Check<typeof shareResponseSchema, ShareResponse>>,
  Assert<Check<typeof sharedBattleViewSchema, SharedBattleView>>,
  Assert<Check<typeof auditReportSchema, AuditReport>>,
  Assert<Check<typeof samplingReportSchema, SamplingReport>>,
];

const isoTime = z.string().describe("ISO 8601 time");

export const variantRegisterSchema = z
  .object({
    computedAt: isoTime,
    entries: z.array(
      z.object({
        modelId: z.string(),
        codename: z.string(),
        lab: z.string(),
        status: z.enum(["preview", "active", "withdrawn", "retired"]),
        registeredAt: isoTime,
        disclosedAt: isoTime.describe("When the lab's release or withdrawal made this variant public."),
        releasedAt: isoTime.nullable(),
        withdrawnAt: isoTime.nullable(),
        publicName: z.string().nullable(),
        votes: z.number().int(),
        rating: z.number().nullable(),
        lower: z.number().nullable(),
        upper: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: "VariantRegister", description: "Every private variant a lab tested, with codename, dates, votes and score, public once that lab releases or withdraws a model." });

export const lifecycleLogSchema = z
  .object({
    computedAt: isoTime,
    events: z.array(
      z.object({
        at: isoTime,
        kind: z.enum(["registered", "released", "withdrawn", "retired", "weight_changed"]),
        modelId: z.string(),
        name: z.string(),
        organization: z.string(),
        detail: z.record(z.string(), z.string()),
      }),
    ),
  })
  .meta({ id: "LifecycleLog", description: "Dated releases, withdrawals, retirements and sampling-weight changes, newest first." });

const styleSchema = z.object({ tokens: z.number().int(), headers: z.number().int(), listItems: z.number().int(), bold: z.number().int() });

export const voteLogPageSchema = z
  .object({
    previous: chainHeadSchema.describe("The chain point before the first record (seq 0 and 64 zeros at the start): verify the page from it."),
    records: z.array(
      z
        .object({
          seq: z.number().int(),
          battleId: z.string(),
          mode: z.enum(["anonymous", "side-by-side", "direct"]),
          modelA: z.string(),
          modelB: z.string(),
          winner: z.enum(["a", "b", "tie", "bothbad"]),
          categories: z.array(z.string()),
          turns: z.number().int(),
          styleA: styleSchema,
          styleB: styleSchema,
          votedAt: z.number().int().describe("Milliseconds since the Unix epoch, UTC."),
          counted: z.boolean(),
          reason: z.string().nullable(),
          hash: z.string().describe("SHA-256(previous hash's 32 bytes ‖ canonical JSON of the record without `hash`), hex."),
        })
        .meta({ id: "VoteLogRecord" }),
    ),
    next: z.number().int().nullable().describe("`from` of the next page; null at the head."),
    head: chainHeadSchema.nullable().describe("The log's current head; null before the first vote is chained."),
  })
  .meta({ id: "VoteLogPage", description: "A page of the public, hash-chained vote log: every stored vote, counted or not, without personal data." });
