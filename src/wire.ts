/**
 * The wire protocol shared by the worker and the client: request schemas
 * (zod, also used to generate the OpenAPI document) and response/event types.
 * This module is the only server-side code the client imports.
 */
import { z } from "zod";

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

// The length limit is a battle rule (answered 413), checked in src/battle/rules.ts.
const prompt = z.string({ error: "prompt must be a string" }).trim().min(1, "prompt must not be empty");

const modelId = z.string().min(1).max(200);

export const createBattleRequest = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("anonymous"), prompt }).strict(),
  z.object({ mode: z.literal("side-by-side"), prompt, models: z.tuple([modelId, modelId]) }).strict(),
  z.object({ mode: z.literal("direct"), prompt, model: modelId }).strict(),
]);
export type CreateBattleRequest = z.infer<typeof createBattleRequest>;

export const continueBattleRequest = z.object({ prompt }).strict();
export type ContinueBattleRequest = z.infer<typeof continueBattleRequest>;

export const voteRequest = z.object({ winner: z.enum(WINNERS) }).strict();
export type VoteRequest = z.infer<typeof voteRequest>;

/** Why a side's answer failed. Messages for these are generic on purpose. */
export const SIDE_ERROR_CODES = [
  "provider_error",
  "rate_limited",
  "timeout",
  "stream_interrupted",
  "empty_response",
  "interrupted",
] as const;
export type SideErrorCode = (typeof SIDE_ERROR_CODES)[number];

/** Events of a battle turn's `text/event-stream`, in the order they can occur. */
export type BattleStreamEvent =
  | { type: "battle"; battleId: string; turn: number; mode: BattleMode }
  | { type: "delta"; side: Side; text: string }
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
  sides: Partial<Record<Side, { text: string; status: SideStatus; finishReason?: string; error?: SideErrorCode }>>;
}

/** What `GET /api/v1/battles/{id}` answers; `models` only once revealed. */
export interface BattleView {
  battleId: string;
  mode: BattleMode;
  turns: BattleTurnView[];
  voted: boolean;
  winner?: Winner;
  counted?: boolean;
  reason?: string;
  models?: Partial<Record<Side, RevealedModel>>;
}

/** The public model catalogue entry (`GET /api/v1/models`). */
export interface PublicModel extends RevealedModel {
  modality: Modality;
  status: "preview" | "active" | "retired";
  demo: boolean;
  license?: string | null;
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; issues?: { path: string; message: string }[] };
}
