import { describe, expect, it } from "vitest";
import { ArenaError } from "../errors";
import { MAX_PROMPT_CHARS, MAX_TURNS } from "../wire";
import { assertCanVote, castVote, historyOf, isTurnComplete, sidesOf, startTurn, type BattleState } from "./rules";

function battle(mode: BattleState["mode"] = "anonymous"): BattleState {
  return { battleId: "b1", mode, sides: sidesOf(mode), turns: [] };
}

function finish(state: BattleState, text = "answer"): void {
  for (const side of Object.values(state.turns.at(-1)!.sides)) {
    side.text = text;
    side.status = "done";
  }
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ArenaError) return error.code;
    throw error;
  }
  return undefined;
}

describe("battle rules", () => {
  it("opens numbered turns with every side streaming", () => {
    const state = battle();
    const turn = startTurn(state, "hello");
    expect(turn).toEqual({ turn: 1, prompt: "hello", sides: { a: { text: "", status: "streaming" }, b: { text: "", status: "streaming" } } });
    expect(isTurnComplete(turn)).toBe(false);
  });

  it("has one side in a direct chat", () => {
    expect(Object.keys(startTurn(battle("direct"), "hi").sides)).toEqual(["a"]);
  });

  it("refuses a new turn while the last one streams", () => {
    const state = battle();
    startTurn(state, "one");
    expect(codeOf(() => startTurn(state, "two"))).toBe("turn_in_progress");
  });

  it("counts a failed side as finished", () => {
    const state = battle();
    const turn = startTurn(state, "one");
    turn.sides.a!.status = "error";
    turn.sides.b!.status = "done";
    expect(isTurnComplete(turn)).toBe(true);
    expect(codeOf(() => assertCanVote(state))).toBeUndefined();
  });

  it(`stops at ${MAX_TURNS} turns`, () => {
    const state = battle();
    for (let i = 0; i < MAX_TURNS; i++) {
      startTurn(state, `turn ${i}`);
      finish(state);
    }
    expect(codeOf(() => startTurn(state, "one more"))).toBe("turn_limit_reached");
  });

  it(`refuses prompts over ${MAX_PROMPT_CHARS} characters and accepts exactly the limit`, () => {
    expect(codeOf(() => startTurn(battle(), "x".repeat(MAX_PROMPT_CHARS + 1)))).toBe("prompt_too_long");
    expect(codeOf(() => startTurn(battle(), "x".repeat(MAX_PROMPT_CHARS)))).toBeUndefined();
  });

  it("allows one vote, only after the last turn finished, and no turn after it", () => {
    const state = battle();
    expect(codeOf(() => assertCanVote(state))).toBe("vote_not_allowed");
    startTurn(state, "one");
    expect(codeOf(() => castVote(state, "a", { counted: true }, 1))).toBe("vote_not_allowed");
    finish(state);
    castVote(state, "a", { counted: true }, 1);
    expect(codeOf(() => castVote(state, "b", { counted: true }, 2))).toBe("already_voted");
    expect(state.vote).toEqual({ winner: "a", votedAt: 1, counted: true });
    expect(codeOf(() => startTurn(state, "two"))).toBe("conflict");
  });

  it("refuses votes in a direct chat", () => {
    const state = battle("direct");
    startTurn(state, "one");
    finish(state);
    expect(codeOf(() => assertCanVote(state))).toBe("vote_not_allowed");
  });

  it("gives each side only its own history", () => {
    const state = battle();
    startTurn(state, "q1");
    state.turns[0]!.sides.a = { text: "a1", status: "done" };
    state.turns[0]!.sides.b = { text: "b1", status: "done" };
    startTurn(state, "q2");
    expect(historyOf(state, "a", 2)).toEqual([
      { role: "user", content: "q1" },
      { role: "assistant", content: "a1" },
      { role: "user", content: "q2" },
    ]);
    expect(historyOf(state, "b", 2)[1]).toEqual({ role: "assistant", content: "b1" });
  });
});
