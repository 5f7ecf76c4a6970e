/**
 * D1 tables of the lab API: labs, their API keys (hashes only) and their
 * webhook endpoints (secrets sealed, src/labs/credentials.ts).
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { models } from "./schema";

const createdAt = integer("created_at", { mode: "number" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const labs = sqliteTable("labs", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  createdAt,
});

/** A lab's API keys: the SHA-256 of each key, its listed prefix, and when it was revoked. */
export const labApiKeys = sqliteTable(
  "lab_api_keys",
  {
    id: text("id").primaryKey(),
    labId: text("lab_id").notNull().references(() => labs.id),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    createdAt,
    revokedAt: integer("revoked_at", { mode: "number" }),
  },
  (t) => [index("lab_api_keys_lab").on(t.labId)],
);

/**
 * A lab's webhook endpoints. The signing secret is sealed (context: the
 * webhook id); after a rotation the previous one stays live until
 * `previous_expires_at`, and deliveries are signed with both meanwhile.
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: text("id").primaryKey(),
    labId: text("lab_id").notNull().references(() => labs.id),
    url: text("url").notNull(),
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    secretSealed: text("secret_sealed").notNull(),
    previousSecretSealed: text("previous_secret_sealed"),
    previousExpiresAt: integer("previous_expires_at", { mode: "number" }),
    createdAt,
    deletedAt: integer("deleted_at", { mode: "number" }),
  },
  (t) => [index("webhooks_lab").on(t.labId)],
);

/**
 * The public lifecycle log: each registration, release, withdrawal and
 * retirement of a lab model, dated (weight changes are in sampling_changes).
 * Append-only; `GET /api/v1/lifecycle` shows the public ones.
 */
export const modelEvents = sqliteTable(
  "model_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    modelId: text("model_id").notNull().references(() => models.id),
    labId: text("lab_id").references(() => labs.id),
    kind: text("kind", { enum: ["registered", "released", "withdrawn", "retired"] }).notNull(),
    at: integer("at", { mode: "number" }).notNull(),
    /** What the event set: the public name on release, the reason on retirement. JSON. */
    detail: text("detail", { mode: "json" }).$type<Record<string, string>>().notNull(),
  },
  (t) => [index("model_events_at").on(t.at), index("model_events_model").on(t.modelId)],
);

/**
 * One event owed to one webhook. Its id is the `webhook-id` header: the same
 * on every retry and on a replay, so a receiver de-duplicates by it. The
 * body is stored as sent, so every attempt signs the same bytes.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    webhookId: text("webhook_id").notNull().references(() => webhooks.id),
    labId: text("lab_id").notNull().references(() => labs.id),
    eventType: text("event_type").notNull(),
    /** The JSON body (src/webhooks/events.ts envelope), exactly as signed and sent. */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "dead"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt,
    deliveredAt: integer("delivered_at", { mode: "number" }),
  },
  (t) => [index("webhook_deliveries_webhook").on(t.webhookId, t.createdAt)],
);

/** Every attempt at a delivery: what the receiver answered, how fast, or what went wrong. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deliveryId: text("delivery_id").notNull().references(() => webhookDeliveries.id),
    /** 1 for the first attempt; a replay continues the count. */
    attempt: integer("attempt").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
    /** HTTP status of the receiver's answer; null when none came. */
    httpStatus: integer("http_status"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
    /** True for an attempt a lab asked for by hand (replay). */
    manual: integer("manual", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("webhook_attempts_delivery").on(t.deliveryId, t.attempt)],
);
