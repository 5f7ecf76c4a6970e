/**
 * What the shared battle page says, as pure functions: where its data comes
 * from, which failures mean "no such link", and how the outcome reads. The
 * wording names the models and the result only; the shared view carries
 * nothing about the voter, and the page adds nothing either.
 */
import { SIDES, type BattleMode, type RevealedModel, type SharedBattleView, type Side } from "../../../src/wire";
import { ApiError } from "../api/http";

/** The API address of the shared battle behind the page `/shared/{id}/{token}`. */
export function sharedBattleApiPath(id: string, token: string): string {
  return `/api/v1/shared/${encodeURIComponent(id)}/${encodeURIComponent(token)}`;
}

/**
 * True when the failure means the link cannot open any battle: unknown
 * (404, which the server also answers for a wrong token) or malformed (400,
 * e.g. a token longer than any the arena issues). Both deserve the same
 * friendly page; anything else is a real error worth a retry.
 */
export function isUnknownLink(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

/** The sides the battle had, in order (one for a direct chat, which cannot be voted on, so in practice two). */
export function sidesOf(view: SharedBattleView): Side[] {
  return SIDES.filter((side) => view.models[side] !== undefined || view.turns.some((turn) => turn.sides[side] !== undefined));
}

/** The model's name, or the side's letter if the view lacks it. */
export function nameOf(view: SharedBattleView, side: Side): string {
  return view.models[side]?.name ?? `Model ${side.toUpperCase()}`;
}

/** The model page of a revealed model. */
export function modelHref(model: RevealedModel): string {
  return `/models/${encodeURIComponent(model.id)}`;
}

const MODE_LABEL: Record<BattleMode, string> = {
  anonymous: "Anonymous battle",
  "side-by-side": "Side-by-side battle",
  direct: "Direct chat",
};

/** How the battle was played, e.g. "Anonymous battle". */
export function modeLabel(mode: BattleMode): string {
  return MODE_LABEL[mode];
}

/** The verdict in one sentence, by model name: "Aster won.", "A tie.", "Both answers were judged bad." */
export function outcomeText(view: SharedBattleView): string {
  switch (view.winner) {
    case "a":
    case "b":
      return `${nameOf(view, view.winner)} won.`;
    case "tie":
      return "A tie.";
    case "bothbad":
      return "Both answers were judged bad.";
  }
}
