/**
 * D1 tables of the lab API: labs, their API keys (hashes only) and their
 * webhook endpoints (secrets sealed, src/labs/credentials.ts).
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
