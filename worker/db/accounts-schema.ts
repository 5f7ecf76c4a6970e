/**
 * D1 tables of accounts: the account and its settings, its passkeys (public
 * keys only), its signed-in sessions (SHA-256 of each token, never the
 * token), the one-time WebAuthn challenges, and the anonymous sessions whose
 * battles were merged into it. What is stored and for how long is in README
 * ("Accounts and your data").
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

const createdAt = integer("created_at", { mode: "number" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  createdAt,
  /** Whether the owner allows their conversations in the open dataset; off by default. */
  publishConversations: integer("publish_conversations", { mode: "boolean" }).notNull().default(false),
  /** When they last turned it on: only battles started from then on are published. */
  publishSince: integer("publish_since", { mode: "number" }),
});

/** WebAuthn credentials: id and COSE public key (base64url), signature counter, transports. */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    publicKey: text("public_key").notNull(),
    counter: integer("counter").notNull(),
    transports: text("transports", { mode: "json" }).$type<string[]>().notNull(),
    deviceType: text("device_type").notNull(),
    backedUp: integer("backed_up", { mode: "boolean" }).notNull(),
    name: text("name").notNull(),
    createdAt,
    lastUsedAt: integer("last_used_at", { mode: "number" }),
  },
  (t) => [index("passkeys_account").on(t.accountId)],
);

/** Signed-in sessions: the SHA-256 of the cookie's token, with expiry. */
export const authSessions = sqliteTable(
  "auth_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    createdAt,
    expiresAt: integer("expires_at", { mode: "number" }).notNull(),
  },
  (t) => [index("auth_sessions_account").on(t.accountId)],
);

/**
 * One-time WebAuthn challenges, bound to the anonymous session that asked
 * (and, when adding a passkey, to the signed-in account); consumed by the
 * first verification attempt, successful or not.
 */
export const authChallenges = sqliteTable(
  "auth_challenges",
  {
    challenge: text("challenge").primaryKey(),
    purpose: text("purpose", { enum: ["register", "signin"] }).notNull(),
    sessionId: text("session_id").notNull(),
    accountId: text("account_id"),
    /** The WebAuthn user handle offered for a new account (base64url). */
    userHandle: text("user_handle"),
    expiresAt: integer("expires_at", { mode: "number" }).notNull(),
  },
  (t) => [index("auth_challenges_expiry").on(t.expiresAt)],
);

/** Anonymous sessions merged into an account at sign-in: their battles are the account's. */
export const accountSessions = sqliteTable(
  "account_sessions",
  {
    sessionId: text("session_id").primaryKey(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    mergedAt: integer("merged_at", { mode: "number" }).notNull(),
  },
  (t) => [index("account_sessions_account").on(t.accountId)],
);

/** Sign-in with GitHub or Google (worker/accounts/oauth.ts): the provider's stable user id, linked to one account. */
export const oauthIdentities = sqliteTable(
  "oauth_identities",
  {
    provider: text("provider", { enum: ["github", "google"] }).notNull(),
    subject: text("subject").notNull(),
    accountId: text("account_id").notNull().references(() => accounts.id),
    createdAt,
  },
  (t) => [primaryKey({ columns: [t.provider, t.subject] }), index("oauth_identities_account").on(t.accountId)],
);
