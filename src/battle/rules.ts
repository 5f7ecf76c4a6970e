/**
 * The rules of a battle, as pure state transitions. The BattleSession Durable
 * Object is the single place that applies them, one request at a time, so a
 * rule checked here cannot be raced.
 */
import { ArenaError } from "../errors";
import { MAX_PROMPT_CHARS, MAX_TURNS, type BattleMode, type ImageRef, type Side, type SideErrorCode, type SideStatus, type Winner } from "../wire";
import type { VoteJudgement } from "./validity";

export interface SideState {
  text: string;
  status: SideStatus;
  finishReason?: string;
  error?: SideErrorCode;
  /** A text-to-image answer's images. */
  images?: ImageRef[];
}

export interface TurnState {
  turn: number;
  prompt: string;
  /** The prompt's images (vision arena). */
  attachments?: ImageRef[];
  sides: Partial<Record<Side, SideState>>;
}

export interface VoteState extends VoteJudgement {
  winner: Winner;
  votedAt: number;
}

export interface BattleState {
  battleId: string;
  mode: BattleMode;
  /** The sides that answer: ["a","b"], or ["a"] for a direct chat. */
  sides: Side[];
  turns: TurnState[];
  vote?: VoteState;
}

/** Sides of a battle mode. */
export function sidesOf(mode: BattleMode): Side[] {
  return mode === "direct" ? ["a"] : ["a", "b"];
}

/** A turn is complete when every side finished or failed. */
export function isTurnComplete(turn: TurnState): boolean {
  return Object.values(turn.sides).every((side) => side.status === "done" || side.status === "error");
}

/** Checks the prompt-length rule (413 when broken). */
export function assertPromptAllowed(prompt: string): void {
  if (prompt.length > MAX_PROMPT_CHARS) {
    throw new ArenaError("prompt_too_long", `prompt is ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}`);
  }
}

/**
 * Opens the next turn. Refused after the vote, while the previous turn is
 * still streaming, past {@link MAX_TURNS}, or for an over-long prompt.
 */
export function startTurn(battle: BattleState, prompt: string, attachments: ImageRef[] = []): TurnState {
  assertPromptAllowed(prompt);
  if (battle.vote) throw new ArenaError("conflict", "this battle has been voted on; start a new battle to continue");
  const last = battle.turns.at(-1);
  if (last && !isTurnComplete(last)) throw new ArenaError("turn_in_progress", "the previous answers are still streaming");
  if (battle.turns.length >= MAX_TURNS) {
    throw new ArenaError("turn_limit_reached", `a battle has at most ${MAX_TURNS} turns; start a new battle`);
  }
  const turn: TurnState = { turn: battle.turns.length + 1, prompt, sides: {}, ...(attachments.length ? { attachments } : {}) };
  for (const side of battle.sides) turn.sides[side] = { text: "", status: "streaming" };
  battle.turns.push(turn);
  return turn;
}

/**
 * Checks that a vote may be cast now: not in a direct chat, only once, and
 * only after every side of the last turn finished or failed.
 */
export function assertCanVote(battle: BattleState): void {
  if (battle.mode === "direct") throw new ArenaError("vote_not_allowed", "a direct chat has no vote");
  if (battle.vote) throw new ArenaError("already_voted", "this battle has already been voted on");
  const last = battle.turns.at(-1);
  if (!last) throw new ArenaError("vote_not_allowed", "there is nothing to vote on yet");
  if (!isTurnComplete(last)) throw new ArenaError("vote_not_allowed", "wait until both answers have finished before voting");
}

/** Records the vote after {@link assertCanVote}; the caller supplies the judgement. */
export function castVote(battle: BattleState, winner: Winner, judgement: VoteJudgement, now: number): VoteState {
  assertCanVote(battle);
  battle.vote = { winner, votedAt: now, ...judgement };
  return battle.vote;
}

/** The conversation one side has seen, as chat messages, up to and including `uptoTurn`. */
export function historyOf(
  battle: BattleState,
  side: Side,
  uptoTurn: number,
): { role: "user" | "assistant"; content: string }[] {
  const messages: { role: "user" | "assistant"; content: string }[] = [];
  for (const turn of battle.turns) {
    if (turn.turn > uptoTurn) break;
    messages.push({ role: "user", content: turn.prompt });
    const answer = turn.sides[side];
    if (turn.turn < uptoTurn && answer && answer.text !== "") messages.push({ role: "assistant", content: answer.text });
  }
  return messages;
}
