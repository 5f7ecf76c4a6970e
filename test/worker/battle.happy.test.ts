import { describe, expect, it } from "vitest";
import type { VoteResponse } from "../../src/wire";
import { ALPHA, BRAVO, continueBattle, d1Rows, registerModels, startBattle, vote } from "./helpers";

describe("an anonymous battle, end to end through the real providers", () => {
  it("streams both sides, then reveals the models and records a counted vote", async () => {
    await registerModels(ALPHA, BRAVO);
    const turn = await startBattle({ mode: "anonymous", prompt: "What is a good first programming language?" });

    expect(turn.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(turn.response.headers.get("x-battle-id")).toBe(turn.battleId);
    const types = turn.events.map((e) => e.type);
    expect(types[0]).toBe("battle");
    expect(types.at(-1)).toBe("end");
    expect(turn.events.filter((e) => e.type === "done").map((e) => e.side).sort()).toEqual(["a", "b"]);
    expect(turn.text.a).toBe("Here is my answer to a 42-character question. I have seen 1 messages and 1 prompts.");
    expect(turn.text.b).toBe(turn.text.a);

    const response = await vote(turn.battleId, "a");
    expect(response.status).toBe(200);
    const reveal = (await response.json()) as VoteResponse;
    expect(reveal.counted).toBe(true);
    expect(reveal.reason).toBeUndefined();
    expect([reveal.models.a.id, reveal.models.b.id].sort()).toEqual([ALPHA.id, BRAVO.id]);
    const revealedAlpha = reveal.models.a.id === ALPHA.id ? reveal.models.a : reveal.models.b;
    expect(revealedAlpha).toEqual({ id: ALPHA.id, name: ALPHA.name, organization: ALPHA.organization });

    const [battle] = await d1Rows<{ mode: string; model_a: string; model_b: string; categories: string }>(
      "SELECT mode, model_a, model_b, categories FROM battles WHERE id = ?",
      turn.battleId,
    );
    expect(battle).toMatchObject({ mode: "anonymous", model_a: reveal.models.a.id, model_b: reveal.models.b.id });
    expect(JSON.parse(battle!.categories)).toContain("overall");
    const turns = await d1Rows<{ response_a: string; status_a: string; status_b: string }>(
      "SELECT response_a, status_a, status_b FROM battle_turns WHERE battle_id = ?",
      turn.battleId,
    );
    expect(turns).toEqual([{ response_a: turn.text.a, status_a: "done", status_b: "done" }]);
    const votes = await d1Rows<{ winner: string; counted: number; model_a: string }>(
      "SELECT winner, counted, model_a FROM votes WHERE battle_id = ?",
      turn.battleId,
    );
    expect(votes).toEqual([{ winner: "a", counted: 1, model_a: reveal.models.a.id }]);
  });

  it("lets each side see its own whole history on the next turn", async () => {
    await registerModels(ALPHA, BRAVO);
    const first = await startBattle({ mode: "anonymous", prompt: "Hello there" });
    const second = await continueBattle(first.battleId, "And a follow-up?");
    expect(second.events[0]).toMatchObject({ type: "battle", battleId: first.battleId, turn: 2 });
    expect(second.text.a).toContain("I have seen 3 messages and 2 prompts.");
    expect(second.text.b).toContain("I have seen 3 messages and 2 prompts.");

    const reveal = (await (await vote(first.battleId, "tie")).json()) as VoteResponse;
    expect(reveal.counted).toBe(true);
    const [row] = await d1Rows<{ turns: number; categories: string }>("SELECT turns, categories FROM votes WHERE battle_id = ?", first.battleId);
    expect(row!.turns).toBe(2);
    expect(JSON.parse(row!.categories)).toContain("multi_turn");
  });

  it("stores a side-by-side vote but never counts it", async () => {
    await registerModels(ALPHA, BRAVO);
    const turn = await startBattle({ mode: "side-by-side", prompt: "Compare yourselves", models: [ALPHA.id, BRAVO.id] });
    const reveal = (await (await vote(turn.battleId, "b")).json()) as VoteResponse;
    expect(reveal).toMatchObject({ counted: false, reason: "not_anonymous", models: { a: { id: ALPHA.id }, b: { id: BRAVO.id } } });
    const rows = await d1Rows<{ mode: string; counted: number; exclusion_reason: string }>(
      "SELECT mode, counted, exclusion_reason FROM votes WHERE battle_id = ?",
      turn.battleId,
    );
    expect(rows).toEqual([{ mode: "side-by-side", counted: 0, exclusion_reason: "not_anonymous" }]);
  });

  it("streams a direct chat from one model and refuses a vote on it", async () => {
    await registerModels(ALPHA, BRAVO);
    const turn = await startBattle({ mode: "direct", prompt: "Just you", model: BRAVO.id });
    expect(turn.events.some((e) => "side" in e && e.side === "b")).toBe(false);
    expect(turn.text.a).toContain("I have seen 1 messages");
    const response = await vote(turn.battleId, "a");
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("vote_not_allowed");
  });
});

describe("concurrency of the two sides", () => {
  it("never holds the faster side back: it finishes while the slower side is still streaming", async () => {
    const slow = { id: "tortoise-2", name: "Tortoise", organization: "Slowpoke Inc", provider: "openai" as const, behaviour: "slow-tortoise" };
    await registerModels(ALPHA, slow);
    const turn = await startBattle({ mode: "anonymous", prompt: "Race!" });
    const reveal = (await (await vote(turn.battleId, "a")).json()) as VoteResponse;
    const slowSide = reveal.models.a.id === slow.id ? "a" : "b";
    const fastSide = slowSide === "a" ? "b" : "a";
    const fastDone = turn.events.findIndex((e) => e.type === "done" && e.side === fastSide);
    const slowDeltas = turn.events.flatMap((e, i) => (e.type === "delta" && e.side === slowSide ? [i] : []));
    expect(slowDeltas.length).toBeGreaterThan(2);
    expect(fastDone).toBeLessThan(slowDeltas[1]!);
  });
});
