/**
 * Zod schemas of the account API (types in ./wire.ts): they validate
 * requests at the edge and describe the answers in the OpenAPI document.
 */
import { z } from "zod";
import { BATTLE_MODES, SIDES, WINNERS } from "../wire";
import type { DeleteAccountRequest, RegisterPasskeyRequest, SettingsRequest, SignInRequest } from "./wire";

/** What @simplewebauthn/browser returns; its fields are checked by the WebAuthn verification itself. */
const credentialResponse = z
  .object({
    id: z.string().min(1).max(1024),
    rawId: z.string().min(1).max(1024),
    type: z.literal("public-key"),
    response: z.record(z.string(), z.unknown()),
  })
  .passthrough();

export const registerPasskeyRequest = z.object({ response: credentialResponse, name: z.string().trim().min(1).max(64).optional() }).strict();
export const signInRequest = z.object({ response: credentialResponse }).strict();
export const emptyRequest = z.object({}).strict();
export const settingsRequest = z.object({ publishConversations: z.boolean() }).strict();
export const deleteAccountRequest = z.object({ confirm: z.literal("delete my account") }).strict();

export const historyQuery = z.object({
  q: z.string().max(200).optional(),
  category: z.string().max(64).optional(),
  voted: z.enum(["true", "false"]).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const passkeyView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  deviceType: z.string(),
  backedUp: z.boolean(),
});
export const accountViewSchema = z
  .object({
    id: z.string(),
    createdAt: z.number(),
    publishConversations: z.boolean(),
    publishSince: z.number().nullable(),
    passkeys: z.array(passkeyView),
    sessions: z.number().int(),
    linked: z.array(z.enum(["github", "google"])),
  })
  .meta({ id: "Account" });

export const meResponseSchema = z
  .object({
    signedIn: z.boolean(),
    account: accountViewSchema.optional(),
    sessionExpiresAt: z.number().optional(),
    battles: z.number().int(),
    votes: z.number().int(),
    oauth: z.object({ github: z.boolean(), google: z.boolean() }),
  })
  .meta({ id: "Me" });

export const signedInResponseSchema = z
  .object({ account: accountViewSchema, sessionExpiresAt: z.number(), merged: z.object({ battles: z.number().int() }) })
  .meta({ id: "SignedIn" });

export const webauthnOptionsSchema = z.object({ options: z.record(z.string(), z.unknown()) }).meta({ id: "WebAuthnOptions" });

const revealed = z.object({ id: z.string(), name: z.string(), organization: z.string() });
const historyItem = z.object({
  battleId: z.string(),
  mode: z.enum(BATTLE_MODES),
  createdAt: z.number(),
  categories: z.array(z.string()),
  prompt: z.string(),
  turns: z.number().int(),
  vote: z.object({ winner: z.enum(WINNERS), counted: z.boolean(), reason: z.string().optional(), votedAt: z.number() }).optional(),
  models: z.partialRecord(z.enum(SIDES), revealed).optional(),
});
export const historyPageSchema = z.object({ battles: z.array(historyItem), nextCursor: z.string().nullable() }).meta({ id: "HistoryPage" });
const imageRef = z.object({ url: z.string(), mediaType: z.string(), width: z.number().int(), height: z.number().int() });
export const historyDetailSchema = historyItem
  .extend({
    turnsDetail: z.array(
      z.object({
        turn: z.number().int(),
        prompt: z.string(),
        attachments: z.array(imageRef).optional(),
        answers: z.partialRecord(
          z.enum(SIDES),
          z.object({ text: z.string(), status: z.enum(["done", "error"]), error: z.string().optional(), images: z.array(imageRef).optional() }),
        ),
      }),
    ),
    continuable: z.boolean(),
  })
  .meta({ id: "HistoryDetail" });

export const personalLeaderboardSchema = z
  .object({
    votes: z.number().int(),
    minimumVotes: z.number().int(),
    shown: z.boolean(),
    rows: z.array(
      z.object({
        model: z.string(),
        name: z.string(),
        rating: z.number(),
        publicRating: z.number().nullable(),
        delta: z.number(),
        votes: z.number().int(),
        wins: z.number().int(),
        losses: z.number().int(),
        ties: z.number().int(),
      }),
    ),
    agreement: z.object({ battles: z.number().int(), rate: z.number().nullable(), expected: z.number().nullable(), rankCorrelation: z.number().nullable() }).nullable(),
  })
  .meta({ id: "PersonalLeaderboard" });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type RequestSchemasMatchTypes = [
  Assert<Same<z.infer<typeof settingsRequest>, SettingsRequest>>,
  Assert<Same<z.infer<typeof deleteAccountRequest>, DeleteAccountRequest>>,
  Assert<z.infer<typeof registerPasskeyRequest> extends RegisterPasskeyRequest ? true : false>,
  Assert<z.infer<typeof signInRequest> extends SignInRequest ? true : false>,
];
