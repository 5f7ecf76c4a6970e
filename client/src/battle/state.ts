/**
 * The state of the battle page as a pure reducer: stream events, the user's
 * actions and server answers go in, what the page shows comes out. Keeping it
 * pure keeps the streaming edge cases (a side failing, a stopped stream, a
 * refused request) in one place.
 */
import type { BattleMode, BattleStreamEvent, BattleView, ImageRef, Modality, RevealedModel, ShareResponse, Side, SideErrorCode, SideStatus, VoteResponse } from "../../../src/wire";

/** One side's answer in one turn; `stopped` means the user stopped reading it. */
export interface SideAnswer {
  text: string;
  status: SideStatus | "stopped";
  finishReason?: string;
  error?: { code: string; message: string };
  /** Generated images (text-to-image arena). */
  images?: ImageRef[];
}

export interface TurnState {
  turn: number;
  prompt: string;
  /** Images the user attached (vision arena). */
  attachments?: ImageRef[];
  sides: Partial<Record<Side, SideAnswer>>;
}

/**
 * `streaming`: a turn is arriving; `stopped`: the user stopped reading, the
 * server is still finishing; `ready`: the last turn is complete.
 */
export type Phase = "idle" | "streaming" | "stopped" | "ready" | "voting" | "voted";

/** The read-only link of a voted battle: being created, ready to copy, or refused. */
export type ShareState = { status: "creating" } | { status: "ready"; url: string } | { status: "failed"; message: string };

export interface ArenaState {
  mode: BattleMode;
  arena: Modality;
  sides: Side[];
  battleId?: string;
  turns: TurnState[];
  phase: Phase;
  vote?: VoteResponse;
  /** Models the server has named (named modes), when the battle was restored from its record. */
  models?: Partial<Record<Side, RevealedModel>>;
  /** A refused request (start, continue or vote), shown above the prompt. */
  requestError?: string;
  /** The share link, once asked for (only after the vote). */
  share?: ShareState;
}

export type ArenaAction =
  | { type: "reset"; mode: BattleMode; arena?: Modality }
  | { type: "submit"; prompt: string; attachments?: ImageRef[] }
  | { type: "event"; event: BattleStreamEvent }
  | { type: "stopped" }
  | { type: "synced"; view: BattleView }
  | { type: "restored"; view: BattleView }
  | { type: "failed"; message: string }
  | { type: "voting" }
  | { type: "voted"; vote: VoteResponse }
  | { type: "sharing" }
  | { type: "shared"; share: ShareResponse; origin: string }
  | { type: "shareFailed"; message: string };

/**
 * Wording for a failed side when only its code is known (a battle rebuilt
 * from the server's record after a reload); live streams carry their own message.
 */
export const SIDE_ERROR_TEXT: Record<SideErrorCode, string> = {
  provider_error: "The model's provider returned an error.",
  rate_limited: "The model's provider is rate limiting requests.",
  timeout: "The model took too long to answer.",
  stream_interrupted: "The answer stopped arriving part-way.",
  interrupted: "The answer was interrupted by a server restart.",
  stopped: "You stopped this answer.",
};

/** A fresh page for `mode` in `arena`. */
export function initialArena(mode: BattleMode, arena: Modality = "text"): ArenaState {
  return { mode, arena, sides: mode === "direct" ? ["a"] : ["a", "b"], turns: [], phase: "idle" };
}

function updateLastTurn(state: ArenaState, update: (turn: TurnState) => TurnState): ArenaState {
  const last = state.turns.at(-1);
  if (!last) return state;
  return { ...state, turns: [...state.turns.slice(0, -1), update(last)] };
}

function updateSide(state: ArenaState, side: Side, update: (answer: SideAnswer) => SideAnswer): ArenaState {
  return updateLastTurn(state, (turn) => {
    const answer = turn.sides[side];
    return answer ? { ...turn, sides: { ...turn.sides, [side]: update(answer) } } : turn;
  });
}

function applyEvent(state: ArenaState, event: BattleStreamEvent): ArenaState {
  switch (event.type) {
    case "battle":
      return updateLastTurn({ ...state, battleId: event.battleId }, (turn) => ({ ...turn, turn: event.turn }));
    case "delta":
      return updateSide(state, event.side, (a) => ({ ...a, status: "streaming", text: a.text + event.text }));
    case "image": {
      const { url, mediaType, width, height } = event;
      return updateSide(state, event.side, (a) => ({ ...a, status: "streaming", images: [...(a.images ?? []), { url, mediaType, width, height }] }));
    }
    case "done":
      return updateSide(state, event.side, (a) => ({ ...a, status: "done", finishReason: event.finishReason }));
    case "error":
      return updateSide(state, event.side, (a) => ({
        ...a,
        status: "error",
        error: { code: event.code, message: event.message },
      }));
    case "end":
      return { ...state, phase: "ready" };
  }
}

/** The page's reducer; see {@link ArenaAction} for what can happen. */
export function arenaReducer(state: ArenaState, action: ArenaAction): ArenaState {
  switch (action.type) {
    case "reset":
      return initialArena(action.mode, action.arena ?? state.arena);
    case "submit": {
      const sides = Object.fromEntries(state.sides.map((side) => [side, { text: "", status: "pending" }]));
      const turn: TurnState = { turn: state.turns.length + 1, prompt: action.prompt, sides, ...(action.attachments?.length ? { attachments: action.attachments } : {}) };
      return { ...state, turns: [...state.turns, turn], phase: "streaming", requestError: undefined };
    }
    case "event":
      return applyEvent(state, action.event);
    case "stopped":
      return updateLastTurn({ ...state, phase: "stopped" }, (turn) => ({
        ...turn,
        sides: Object.fromEntries(
          Object.entries(turn.sides).map(([side, a]) => [
            side,
            a.status === "pending" || a.status === "streaming" ? { ...a, status: "stopped" } : a,
          ]),
        ),
      }));
    case "synced":
      return syncFromView(state, action.view);
    case "restored": {
      // Until the record shows the last turn complete, the page waits as after a stop.
      const base: ArenaState = { ...initialArena(action.view.mode, action.view.arena), battleId: action.view.battleId, phase: "stopped" };
      return { ...syncFromView(base, action.view), models: action.view.models };
    }
    case "failed": {
      // A turn the server never opened (no `battle` event yet) is dropped, so
      // the user can edit the prompt and try again.
      const last = state.turns.at(-1);
      const unopened = state.phase === "streaming" && last && Object.values(last.sides).every((a) => a.status === "pending");
      const turns = unopened ? state.turns.slice(0, -1) : state.turns;
      const phase: Phase = state.vote ? "voted" : turns.length === 0 ? "idle" : unopened ? "ready" : state.phase === "voting" ? "ready" : state.phase;
      return { ...state, turns, phase, requestError: action.message };
    }
    case "voting":
      return { ...state, phase: "voting", requestError: undefined };
    case "voted":
      return { ...state, phase: "voted", vote: action.vote };
    // Before the vote the models are hidden and the server refuses to share;
    // the page never asks, and a stray action changes nothing.
    case "sharing":
      return state.vote ? { ...state, share: { status: "creating" } } : state;
    case "shared": {
      if (!state.vote) return state;
      const url = shareUrl(action.origin, action.share.path);
      return { ...state, share: url ? { status: "ready", url } : { status: "failed", message: "The arena answered with an unusable link." } };
    }
    case "shareFailed":
      return state.vote ? { ...state, share: { status: "failed", message: action.message } } : state;
  }
}

/**
 * The full address to give away: the server's `path` on the arena's own
 * origin. Undefined when the path would lead off the arena (a protocol-relative
 * or absolute URL), so the page never offers a link to somewhere else.
 */
export function shareUrl(origin: string, path: string): string | undefined {
  if (!path.startsWith("/") || path.startsWith("//")) return undefined;
  try {
    const url = new URL(path, origin);
    return url.origin === new URL(origin).origin ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the server's record of the battle after a stop; the turn is complete once no side is still writing. */
function syncFromView(state: ArenaState, view: BattleView): ArenaState {
  const turns: TurnState[] = view.turns.map((turn, i) => ({
    turn: turn.turn,
    prompt: turn.prompt,
    ...(turn.attachments?.length ? { attachments: turn.attachments } : {}),
    sides: Object.fromEntries(
      Object.entries(turn.sides).map(([side, answer]) => {
        const local = state.turns[i]?.sides[side as Side];
        // A side the user stopped stays still until the server has finished
        // it; then the complete answer is shown, since that is what a vote judges.
        const unfinished = answer.status === "pending" || answer.status === "streaming";
        if (local?.status === "stopped" && unfinished) return [side, local];
        return [side, {
          text: answer.text,
          status: answer.status,
          ...(answer.finishReason ? { finishReason: answer.finishReason } : {}),
          ...(answer.error ? { error: { code: answer.error, message: SIDE_ERROR_TEXT[answer.error] } } : {}),
          ...(answer.images?.length ? { images: answer.images } : {}),
        }];
      }),
    ),
  }));
  const complete = isTurnSettled(turns.at(-1));
  // Once the record is complete, an earlier stream failure no longer matters.
  const synced = { ...state, battleId: view.battleId, turns };
  return complete ? { ...synced, phase: "ready", requestError: undefined } : synced;
}

/** True when every side of the turn has finished, well or not. */
export function isTurnSettled(turn: TurnState | undefined): boolean {
  return turn !== undefined && Object.values(turn.sides).every((a) => a.status === "done" || a.status === "error");
}

/** True when some answer in the battle failed, which keeps the vote from counting. */
export function hasFailedSide(state: ArenaState): boolean {
  return state.turns.some((turn) => Object.values(turn.sides).some((a) => a.status === "error"));
}

/** True when the vote bar may be used. */
export function canVote(state: ArenaState): boolean {
  return state.mode !== "direct" && state.phase === "ready" && state.battleId !== undefined && !state.vote;
}
