/**
 * Zod schemas of the lab and admin API's requests and responses. They
 * validate at the edge and generate the OpenAPI components (the `id` in
 * `.meta()` names the component). Objects in requests are strict, so a
 * misspelt field is an error rather than silently ignored.
 */
import { z } from "zod";
import { MODALITIES } from "../wire";
import { MODEL_STATUSES } from "./lifecycle";

/**
 * A preview's public codename: what voters see after their vote while the
 * model is unreleased. Lowercase letters, digits and single hyphens, 3–40
 * characters, starting with a letter: readable, URL-safe, and with no room
 * for look-alike Unicode.
 */
export const codenameSchema = z
  .string()
  .regex(/^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){2,39}$/, "codename: 3–40 lowercase letters, digits or single hyphens, starting with a letter")
  .meta({ example: "quiet-otter-7" });

export const LAB_PROVIDERS = ["openai-compatible", "openai", "google"] as const;

const price = z.number().min(0).max(1_000_000);

export const pricingSchema = z
  .object({ inputPerMillion: price, outputPerMillion: price })
  .strict()
  .meta({ id: "ModelPricing", description: "Price in US dollars per million input and output tokens." });

export const registerPreviewRequest = z
  .object({
    codename: codenameSchema,
    provider: z.enum(LAB_PROVIDERS),
    /** Base URL of the API; required for "openai-compatible". Checked by the outbound-URL guard. */
    endpoint: z.string().min(1).max(2048).optional(),
    providerModelId: z.string().trim().min(1).max(200),
    /** The key the arena sends to the endpoint; stored sealed, never returned. */
    apiKey: z.string().min(1).max(4096).optional(),
    modality: z.enum(MODALITIES).default("text"),
    license: z.string().trim().min(1).max(200).optional(),
    pricing: pricingSchema.optional(),
    contextLength: z.number().int().min(1).max(100_000_000).optional(),
  })
  .strict()
  .refine((body) => body.provider !== "openai-compatible" || body.endpoint !== undefined, {
    path: ["endpoint"],
    message: "an openai-compatible model needs its endpoint",
  })
  .refine((body) => body.provider === "openai-compatible" || body.apiKey !== undefined, {
    path: ["apiKey"],
    message: "an openai or google model needs its apiKey",
  })
  .meta({ id: "RegisterPreviewRequest", description: "A model to test as a private preview under its codename." });
export type RegisterPreviewInput = z.infer<typeof registerPreviewRequest>;

const publicName = z.string().trim().min(1).max(100);

export const releaseRequest = z
  .object({ name: publicName, organization: publicName.optional() })
  .strict()
  .meta({ id: "ReleaseRequest", description: "The released model's public name, and its organisation (the lab's name by default)." });
export type ReleaseInput = z.infer<typeof releaseRequest>;

export const retireRequest = z
  .object({ reason: z.string().trim().min(3).max(500) })
  .strict()
  .meta({ id: "RetireRequest", description: "Why the model is retired; published with the date." });

export const createLabRequest = z
  .object({ name: z.string().trim().min(1).max(100) })
  .strict()
  .meta({ id: "CreateLabRequest" });

// ---------------------------------------------------------------------------
// Responses

export const labSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).meta({ id: "Lab" });

export const labKeySchema = z
  .object({ id: z.string(), prefix: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })
  .meta({ id: "LabApiKey", description: "An API key as stored: its recognisable prefix, never the key." });

export const createdLabSchema = z
  .object({ lab: z.object({ id: z.string(), name: z.string() }), apiKey: z.string(), keyId: z.string() })
  .meta({ id: "CreatedLab", description: "The new lab and its first API key, shown this once." });

export const labListSchema = z
  .object({ labs: z.array(labSchema.extend({ keys: z.array(labKeySchema), models: z.number().int() })) })
  .meta({ id: "LabList" });

export const issuedKeySchema = z
  .object({ keyId: z.string(), apiKey: z.string(), prefix: z.string() })
  .meta({ id: "IssuedLabApiKey", description: "A new API key, shown this once; earlier keys stay valid until revoked." });

export const revokedKeySchema = z.object({ keyId: z.string(), revokedAt: z.string() }).meta({ id: "RevokedLabApiKey" });

export const labModelSchema = z
  .object({
    id: z.string(),
    codename: z.string(),
    name: z.string(),
    organization: z.string(),
    status: z.enum(MODEL_STATUSES),
    provider: z.enum(LAB_PROVIDERS),
    endpoint: z.string().nullable(),
    providerModelId: z.string(),
    /** Whether an endpoint key is stored; the key itself is never returned. */
    hasApiKey: z.boolean(),
    modality: z.enum(MODALITIES),
    license: z.string().nullable(),
    pricing: pricingSchema.nullable(),
    contextLength: z.number().int().nullable(),
    createdAt: z.string(),
    releasedAt: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
    retiredAt: z.string().nullable(),
    retireReason: z.string().nullable(),
  })
  .meta({ id: "LabModel", description: "A model the lab registered, as the lab sees it." });

export const labModelListSchema = z.object({ models: z.array(labModelSchema) }).meta({ id: "LabModelList" });

export const registeredPreviewSchema = z
  .object({ id: z.string(), status: z.literal("preview") })
  .meta({ id: "RegisteredPreview" });

export const labStandingSchema = z
  .object({
    category: z.string(),
    style: z.enum(["default", "control"]),
    rank: z.number().int(),
    rating: z.number(),
    lower: z.number().nullable(),
    upper: z.number().nullable(),
    votes: z.number().int(),
    wins: z.number().int(),
    losses: z.number().int(),
    ties: z.number().int(),
    provisional: z.boolean(),
  })
  .meta({ id: "LabStanding", description: "A model's row in one board, computed exactly as the public boards are." });

export const labModelResultsSchema = z
  .object({
    modelId: z.string(),
    status: z.enum(MODEL_STATUSES),
    /** When the ranking cron last computed these; null before its first run with this model. */
    computedAt: z.string().nullable(),
    standings: z.array(labStandingSchema),
  })
  .meta({ id: "LabModelResults", description: "A lab's private view of one of its models: its standing in every board it has votes in." });
