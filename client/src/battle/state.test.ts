import { describe, expect, it } from "vitest";
import type { BattleStreamEvent } from "../../../src/wire";
import { arenaReducer, canVote, hasFailedSide, initialArena, shareUrl, type ArenaAction, type ArenaState } from "./state";

const ID = "0b0d0c0a-0000-4000-8000-000000000001";
const event = (e: BattleStreamEvent): ArenaAction => ({ type: "event", event: e });
const run = (state: ArenaState, ...actions: ArenaAction[]) => actions.reduce(arenaReducer, state);

describe("arenaReducer", () => {
  it("accumulates deltas per side and opens the vote only after `end`", () => {
    let state = run(
      initialArena("anonymous"),
      { type: "submit", prompt: "hi" },
      event({ type: "battle", battleId: ID, turn: 1, mode: "anonymous" }),
      event({ type: "delta", side: "a", text: "Hel" }),
      event({ type: "delta", side: "b", text: "Yo" }),
      event({ type: "delta", side: "a", text: "lo" }),
      event({ type: "done", side: "a", finishReason: "stop" }),
      event({ type: "done", side: "b", finishReason: "stop" }),
    );
    expect(state.turns[0]!.sides.a).toMatchObject({ text: "Hello", status: "done" });
    expect(state.turns[0]!.sides.b).toMatchObject({ text: "Yo", status: "done" });
    expect(canVote(state)).toBe(false);
    state = arenaReducer(state, event({ type: "end", battleId: ID, turn: 1 }));
    expect(canVote(state)).toBe(true);
  });

  it("keeps the other side streaming when one side fails, and marks the vote as not counting", () => {
    const state = run(
      initialArena("anonymous"),
      { type: "submit", prompt: "hi" },
      event({ type: "battle", battleId: ID, turn: 1, mode: "anonymous" }),
      event({ type: "error", side: "b", code: "provider_error", message: "failed" }),
      event({ type: "delta", side: "a", text: "still here" }),
    );
    expect(state.turns[0]!.sides.a!.status).toBe("streaming");
    expect(state.turns[0]!.sides.b).toMatchObject({ status: "error", error: { code: "provider_error" } });
    expect(hasFailedSide(state)).toBe(true);
  });

  it("drops a turn the server refused before opening it, so the prompt can be retried", () => {
    const state = run(initialArena("anonymous"), { type: "submit", prompt: "x".repeat(10) }, { type: "failed", message: "too long" });
    expect(state.turns).toEqual([]);
    expect(state.phase).toBe("idle");
    expect(state.requestError).toBe("too long");
  });

  it("marks unfinished sides as stopped, then takes the server's complete record", () => {
    let state = run(
      initialArena("anonymous"),
      { type: "submit", prompt: "hi" },
      event({ type: "battle", battleId: ID, turn: 1, mode: "anonymous" }),
      event({ type: "delta", side: "a", text: "part" }),
      { type: "stopped" },
    );
    expect(state.turns[0]!.sides.a!.status).toBe("stopped");
    expect(canVote(state)).toBe(false);
    state = arenaReducer(state, {
      type: "synced",
      view: {
        battleId: ID,
        mode: "anonymous",
        arena: "text",
        voted: false,
        turns: [{ turn: 1, prompt: "hi", sides: { a: { text: "partial answer", status: "done" }, b: { text: "other", status: "done" } } }],
      },
    });
    expect(state.turns[0]!.sides.a!.text).toBe("partial answer");
    expect(canVote(state)).toBe(true);
  });

  it("never offers a vote in a direct chat", () => {
    const state = run(
      initialArena("direct"),
      { type: "submit", prompt: "hi" },
      event({ type: "battle", battleId: ID, turn: 1, mode: "direct" }),
      event({ type: "done", side: "a", finishReason: "stop" }),
      event({ type: "end", battleId: ID, turn: 1 }),
    );
    expect(state.sides).toEqual(["a"]);
    expect(canVote(state)).toBe(false);
  });

  it("restores a battle from the server's record after a reload, waiting if a side is unfinished", () => {
    const view = {
      battleId: ID,
      mode: "side-by-side" as const,
      arena: "text" as const,
      voted: false,
      models: { a: { id: "m1", name: "One", organization: "o" }, b: { id: "m2", name: "Two", organization: "o" } },
      turns: [{ turn: 1, prompt: "hi", sides: { a: { text: "done", status: "done" as const }, b: { text: "part", status: "streaming" as const } } }],
    };
    const state = arenaReducer(initialArena("anonymous"), { type: "restored", view });
    expect(state).toMatchObject({ mode: "side-by-side", battleId: ID, phase: "stopped", models: view.models });
    expect(canVote(state)).toBe(false);
    const done = { ...view, turns: [{ ...view.turns[0]!, sides: { ...view.turns[0]!.sides, b: { text: "part two", status: "done" as const } } }] };
    expect(canVote(arenaReducer(state, { type: "synced", view: done }))).toBe(true);
  });
});

describe("sharing a voted battle", () => {
  const ORIGIN = "https://arena.example";
  const models = { a: { id: "m1", name: "One", organization: "o" }, b: { id: "m2", name: "Two", organization: "o" } };
  const share = { battleId: ID, token: "tok_EN-123", path: `/shared/${ID}/tok_EN-123` };
  const voted = () =>
    run(
      initialArena("anonymous"),
      { type: "submit", prompt: "hi" },
      event({ type: "battle", battleId: ID, turn: 1, mode: "anonymous" }),
      event({ type: "end", battleId: ID, turn: 1 }),
      { type: "voted", vote: { battleId: ID, winner: "a", models, counted: true } },
    );

  it("turns the server's path into a full link on the arena's origin", () => {
    const state = run(voted(), { type: "sharing" }, { type: "shared", share, origin: ORIGIN });
    expect(state.share).toEqual({ status: "ready", url: `${ORIGIN}/shared/${ID}/tok_EN-123` });
  });

  it("shows that the link is being created, and a refusal with its message", () => {
    const creating = arenaReducer(voted(), { type: "sharing" });
    expect(creating.share).toEqual({ status: "creating" });
    const failed = arenaReducer(creating, { type: "shareFailed", message: "offline" });
    expect(failed.share).toEqual({ status: "failed", message: "offline" });
    expect(failed.vote).toBeDefined();
  });

  it("ignores sharing before the vote, when the models are still hidden", () => {
    const unvoted = run(initialArena("anonymous"), { type: "submit", prompt: "hi" });
    expect(run(unvoted, { type: "sharing" }, { type: "shared", share, origin: ORIGIN }).share).toBeUndefined();
  });

  it("forgets the link when a new battle starts", () => {
    const state = run(voted(), { type: "shared", share, origin: ORIGIN }, { type: "reset", mode: "anonymous" });
    expect(state.share).toBeUndefined();
  });

  it("never offers a link that leads off the arena", () => {
    for (const path of ["//evil.example/shared/x/y", "https://evil.example/shared/x/y", "shared/x", "javascript:alert(1)"]) {
      expect(shareUrl(ORIGIN, path), path).toBeUndefined();
    }
    const state = arenaReducer(voted(), { type: "shared", share: { ...share, path: "//evil.example/x" }, origin: ORIGIN });
    expect(state.share?.status).toBe("failed");
  });
});
